import { createContext, useContext } from 'react'
import type { ConsoleConfig } from './api.js'

export const ConfigContext = createContext<ConsoleConfig>({ versions: [] })
export const useConsoleConfig = (): ConsoleConfig => useContext(ConfigContext)
