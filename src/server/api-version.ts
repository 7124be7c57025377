/** The version of the HTTP API this server speaks (OpenAPI `info.version`, /version). */
export const API_VERSION = '0.1.0'
