import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { sql } from 'kysely'
import { pgliteVacuumController } from '../src/controllers/pglite-vacuum-controller.js'
import { eventually } from './helpers/eventually.js'
import { startTestServer } from './helpers/server.js'

// PGlite has no autovacuum (one backend, no background workers): without the server's own, every
// update's dead row version stayed in the table and its indexes for good (decision 0039).
describe('dead row versions in the embedded database', () => {
  test('the server vacuums a table whose updates pass autovacuum\'s threshold; on PostgreSQL its autovacuum does', async () => {
    const s = await startTestServer()
    try {
      const { key } = await s.createTenant('churn')
      // A thousand members come and go (written here in two statements, as a long-lived
      // platform's churn would leave them): a thousand dead row versions in `members`, far past
      // autovacuum's threshold of 50 plus 20 % of the live rows.
      const db = s.server.container.db
      await sql`INSERT INTO members (tenant_id, email, role, created_at)
        SELECT id, 'm' || i || '@example.com', 'readonly', now() FROM tenants, generate_series(1, 1000) i WHERE name = 'churn'`.execute(db)
      await sql`DELETE FROM members WHERE email LIKE 'm%@example.com'`.execute(db)
      if (s.databaseUrl) {
        assert.deepEqual(await pgliteVacuumController.listKeys(s.server.container), [], 'nothing for Kupe to vacuum on PostgreSQL')
        return
      }
      const vacuumed = () => s.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'table vacuumed' && l.table === 'members')
      await eventually(async () => vacuumed(), 20_000, 'members vacuumed by the server')
      const dead = await sql<{ n: number }>`SELECT n_dead_tup::int AS n FROM pg_stat_user_tables WHERE relname = 'members'`.execute(s.server.container.db)
      assert.ok(dead.rows[0]!.n <= 50, `dead versions left: ${dead.rows[0]!.n}`)
      assert.ok(!(await pgliteVacuumController.listKeys(s.server.container)).includes('members'), 'not due again')
      const members = await s.request('GET', '/api/v1/tenants/churn/members', { token: key })
      assert.equal(members.status, 200, members.text)
      assert.equal(members.body.items.length, 1, 'the owner alone, as before the churn')
    } finally {
      await s.stop()
    }
  })
})
