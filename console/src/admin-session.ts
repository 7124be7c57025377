import { createContext, useContext } from 'react'
import type { Api } from './api.js'

/**
 * The platform operator's session: the admin token lives only in the API client's closure and
 * React state (never localStorage, sessionStorage or a cookie), so a reload signs out, as for
 * tenant sessions (decision 0026).
 */
export interface AdminSession {
  api: Api
  signOut(): void
}

export const AdminContext = createContext<AdminSession | undefined>(undefined)

export function useAdmin(): AdminSession {
  const s = useContext(AdminContext)
  if (!s) throw new Error('useAdmin outside the signed-in admin area')
  return s
}
