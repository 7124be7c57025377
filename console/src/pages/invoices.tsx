import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { ok, type Schemas } from '../api.js'
import { useSession } from '../session.js'
import { Empty, Phase, QueryView, Table, formatTime } from '../ui.js'

type Invoice = Schemas['Invoice']

/** Invoices: the open period's Draft estimate and closed ones, each with its line items, and cost per period. */
export function InvoicesPage() {
  const { api, tenant } = useSession()
  // Closed invoices are listed; the open period's Draft estimate is read by its name (spec §5.8).
  const invoices = useQuery({
    queryKey: ['invoices', tenant],
    queryFn: async () => {
      const open = new Date().toISOString().slice(0, 7)
      const [closed, draft] = await Promise.all([
        ok(api.GET('/api/v1/tenants/{tenant}/invoices', { params: { path: { tenant } } })),
        api.GET('/api/v1/tenants/{tenant}/invoices/{name}', { params: { path: { tenant, name: open } } }),
      ])
      const items = [...closed.items.filter((i) => i.name !== open), ...(draft.data ? [draft.data] : [])]
      return { items: items.sort((a, b) => b.name.localeCompare(a.name)) }
    },
  })
  return (
    <section aria-labelledby="h-invoices">
      <h1 id="h-invoices">Invoices</h1>
      <QueryView query={invoices} what="invoices">
        {(data) => data.items.length === 0 ? <Empty>No invoices yet.</Empty> : (
          <>
            <CostChart invoices={data.items} />
            {data.items.map((i) => <InvoiceCard key={i.name} invoice={i} />)}
          </>
        )}
      </QueryView>
    </section>
  )
}

function CostChart({ invoices }: { invoices: Invoice[] }) {
  const sorted = [...invoices].sort((a, b) => a.name.localeCompare(b.name))
  const max = Math.max(...sorted.map((i) => Number(i.status.total)), 0.01)
  return (
    <figure className="card chart">
      <figcaption>Cost per period</figcaption>
      <ul>
        {sorted.map((i) => (
          <li key={i.name}>
            <span className="bar-label">{i.name}</span>
            <span className="bar" style={{ width: `${Math.max(2, (Number(i.status.total) / max) * 100)}%` }} />
            <span>{i.status.total} {i.status.currency}{i.status.phase === 'Draft' ? ' (estimate)' : ''}</span>
          </li>
        ))}
      </ul>
    </figure>
  )
}

function InvoiceCard({ invoice }: { invoice: Invoice }) {
  const [open, setOpen] = useState(invoice.status.phase === 'Draft')
  const s = invoice.status
  return (
    <article className="card" aria-labelledby={`inv-${invoice.name}`}>
      <h2 id={`inv-${invoice.name}`}>{invoice.name} <Phase phase={s.phase} /></h2>
      <p>
        Total <strong>{s.total} {s.currency}</strong> (subtotal {s.subtotal}, credits {s.creditsApplied}, tax {s.tax})
        {s.dueDate ? `, due ${formatTime(s.dueDate)}` : ''}. Period {formatTime(invoice.billingPeriod.start)} – {formatTime(invoice.billingPeriod.end)}.
      </p>
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>{open ? 'Hide' : 'Show'} line items</button>
      {open && (s.lineItems.length === 0 ? <Empty>No line items.</Empty> : (
        <Table label={`Line items of ${invoice.name}`}>
          <thead><tr><th scope="col">Item</th><th scope="col">Quantity</th><th scope="col">Unit price</th><th scope="col">Cost</th></tr></thead>
          <tbody>
            {s.lineItems.map((l, i) => (
              <tr key={i}><td>{l.description}</td><td>{l.quantity} {l.unit}</td><td>{l.unitPrice}</td><td>{l.cost}</td></tr>
            ))}
          </tbody>
        </Table>
      ))}
    </article>
  )
}
