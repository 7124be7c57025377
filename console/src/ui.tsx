import { useState, type ReactNode } from 'react'
import type { UseQueryResult } from '@tanstack/react-query'
import { Link } from 'wouter'

export function Loading({ what }: { what: string }) {
  return <p className="muted" role="status" aria-live="polite">Loading {what}…</p>
}

/** Quotes the API's `error` text, as the server wrote it. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null
  const message = error instanceof Error ? error.message : String(error)
  return <p className="error" role="alert">{message}</p>
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="muted empty">{children}</p>
}

/** Loading, error or the data: the three states every page shows. */
export function QueryView<D>({ query, what, children }: { query: UseQueryResult<D>; what: string; children: (data: D) => ReactNode }) {
  if (query.isPending) return <Loading what={what} />
  if (query.isError) return <ErrorNote error={query.error} />
  return <>{children(query.data)}</>
}

export function Phase({ phase }: { phase: string }) {
  return <span className={`phase phase-${phase.toLowerCase()}`}>{phase}</span>
}

/** A destructive action that asks first, inline (keyboard-reachable, no window.confirm). */
export function ConfirmButton({ label, question, onConfirm, busy }: { label: string; question: string; onConfirm: () => void; busy?: boolean }) {
  const [asking, setAsking] = useState(false)
  if (!asking) return <button type="button" className="danger" onClick={() => setAsking(true)}>{label}</button>
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span>{question}</span>
      <button type="button" className="danger" disabled={busy} onClick={() => { setAsking(false); onConfirm() }}>Yes, {label.toLowerCase()}</button>
      <button type="button" onClick={() => setAsking(false)}>Cancel</button>
    </span>
  )
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return <label className="field"><span>{label}</span>{children}</label>
}

export const formatTime = (iso: string | undefined): string => (iso ? new Date(iso).toLocaleString() : '—')

/** A table that scrolls sideways on its own at narrow widths (focusable, so keyboards can scroll it). */
export function Table({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="scroll" role="region" aria-label={label} tabIndex={0}>
      <table><caption className="sr-only">{label}</caption>{children}</table>
    </div>
  )
}

interface Condition { type: string; status: string; reason: string; message: string; lastTransitionTime: string }

/**
 * The conditions timeline (decision 0032): the object's current conditions ordered by when each
 * last changed, newest first. There is no stored history: each type appears once, at its last
 * transition.
 */
export function Conditions({ conditions }: { conditions: readonly Condition[] }) {
  if (conditions.length === 0) return <Empty>No conditions yet.</Empty>
  const sorted = [...conditions].sort((a, b) => b.lastTransitionTime.localeCompare(a.lastTransitionTime) || a.type.localeCompare(b.type))
  return (
    <ol className="timeline" aria-label="Conditions, newest change first">
      {sorted.map((k) => (
        <li key={k.type}>
          <time dateTime={k.lastTransitionTime}>{formatTime(k.lastTransitionTime)}</time>: <strong>{k.type}</strong> = {k.status} <span className="muted">({k.reason})</span>
          {k.message && <div>{k.message}</div>}
        </li>
      ))}
    </ol>
  )
}

/** The header of a signed-in area: skip link, brand, the area's navigation, who is signed in. */
export function TopBar({ brand, nav, location, who, onSignOut }: { brand: string; nav: ReadonlyArray<readonly [string, string]>; location: string; who: ReactNode; onSignOut: () => void }) {
  return (
    <>
      <a className="skip" href="#main">Skip to content</a>
      <header className="top">
        <span className="brand">{brand}</span>
        <nav aria-label="Main">
          <ul>
            {nav.map(([href, label]) => (
              <li key={href}><Link href={href} aria-current={location.startsWith(href) ? 'page' : undefined}>{label}</Link></li>
            ))}
          </ul>
        </nav>
        <span className="who">
          <span>{who}</span>
          <button type="button" onClick={onSignOut}>Sign out</button>
        </span>
      </header>
    </>
  )
}
