import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { createRoot } from 'react-dom/client'
import { loadConsoleConfig } from './api.js'
import { App } from './app.js'
import { ConfigContext } from './config-context.js'
import './styles.css'

const root = createRoot(document.getElementById('root') as HTMLElement)
// A 4xx is an answer, not a glitch: only network failures and 5xx are retried, once.
const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, error) => count < 1 && !(error instanceof Error && 'status' in error && Number(error.status) < 500),
      refetchOnWindowFocus: false,
    },
  },
})

loadConsoleConfig()
  .then((config) => {
    root.render(
      <ConfigContext.Provider value={config}>
        <QueryClientProvider client={queryClient}><App /></QueryClientProvider>
      </ConfigContext.Provider>,
    )
  })
  .catch((err: unknown) => {
    root.render(<p role="alert">{err instanceof Error ? err.message : String(err)}</p>)
  })
