import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { ok } from '../api.js'
import { useIsAdmin, useSession } from '../session.js'
import { ConfirmButton, Empty, ErrorNote, Field, QueryView, Table } from '../ui.js'

type Role = 'admin' | 'readonly'

/** Members and roles; the server's last-admin protection is quoted as it refuses. */
export function MembersPage() {
  const { api, tenant } = useSession()
  const isAdmin = useIsAdmin()
  const qc = useQueryClient()
  const members = useQuery({
    queryKey: ['members', tenant],
    queryFn: () => ok(api.GET('/api/v1/tenants/{tenant}/members', { params: { path: { tenant } } })),
  })
  const done = () => qc.invalidateQueries({ queryKey: ['members', tenant] })
  const setRole = useMutation({
    mutationFn: (m: { email: string; role: Role }) =>
      ok(api.PATCH('/api/v1/tenants/{tenant}/members/{email}', { params: { path: { tenant, email: m.email } }, body: { role: m.role } })),
    onSettled: done,
  })
  const remove = useMutation({
    mutationFn: (email: string) => ok(api.DELETE('/api/v1/tenants/{tenant}/members/{email}', { params: { path: { tenant, email } } })),
    onSettled: done,
  })
  const admins = members.data?.items.filter((m) => m.role === 'admin').length ?? 0
  return (
    <section aria-labelledby="h-members">
      <h1 id="h-members">Members</h1>
      {isAdmin && <AddMember />}
      <ErrorNote error={setRole.error ?? remove.error} />
      <QueryView query={members} what="members">
        {(data) => data.items.length === 0 ? <Empty>No members.</Empty> : (
          <Table label={`Members of ${tenant}`}>
            <thead><tr><th scope="col">Email</th><th scope="col">Role</th>{isAdmin && <th scope="col"><span className="sr-only">Actions</span></th>}</tr></thead>
            <tbody>
              {data.items.map((m) => (
                <tr key={m.email}>
                  <td>{m.email}</td>
                  <td>
                    {isAdmin ? (
                      <select aria-label={`Role of ${m.email}`} value={m.role} onChange={(e) => setRole.mutate({ email: m.email, role: e.target.value as Role })}>
                        <option value="admin">admin</option><option value="readonly">readonly</option>
                      </select>
                    ) : m.role}
                    {m.role === 'admin' && admins === 1 && <span className="muted"> (last admin: cannot be removed or demoted)</span>}
                  </td>
                  {isAdmin && <td><ConfirmButton label="Remove" question={`Remove ${m.email}?`} onConfirm={() => remove.mutate(m.email)} /></td>}
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </QueryView>
    </section>
  )
}

function AddMember() {
  const { api, tenant } = useSession()
  const qc = useQueryClient()
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('readonly')
  const add = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/tenants/{tenant}/members', { params: { path: { tenant } }, body: { email, role } })),
    onSuccess: () => { setEmail(''); void qc.invalidateQueries({ queryKey: ['members', tenant] }) },
  })
  const submit = (e: FormEvent) => { e.preventDefault(); add.mutate() }
  return (
    <form className="card" onSubmit={submit} aria-labelledby="h-add-member">
      <h2 id="h-add-member">Add a member</h2>
      <div className="row">
        <Field label="Email"><input required type="email" value={email} onChange={(e) => setEmail(e.target.value)} /></Field>
        <Field label="Role">
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}><option value="readonly">readonly</option><option value="admin">admin</option></select>
        </Field>
      </div>
      <button type="submit" disabled={add.isPending}>Add member</button>
      <ErrorNote error={add.error} />
    </form>
  )
}
