import { createContext, useContext } from 'react'
import type { Api } from './api.js'

/**
 * Who is signed in. Held in React state only: a reload signs out, and no token is ever written
 * to localStorage, sessionStorage or a script-readable cookie (decision 0026).
 */
export interface Session {
  tenant: string
  role: 'admin' | 'readonly'
  /** How the person signed in: an API key, or the email of their OpenID Connect identity. */
  identity: { kind: 'apikey'; keyId?: string } | { kind: 'oidc'; email: string; idToken: string }
  api: Api
  signOut(): void
}

export const SessionContext = createContext<Session | undefined>(undefined)

export function useSession(): Session {
  const s = useContext(SessionContext)
  if (!s) throw new Error('useSession outside a signed-in view')
  return s
}

/** Write controls are shown only to admins; the API refuses readonly writes anyway. */
export const useIsAdmin = (): boolean => useSession().role === 'admin'
