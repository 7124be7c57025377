/** A page of the issuer as a browser without scripts sees it. */
interface Page {
  url: string
  status: number
  html: string
}

interface Form {
  action: string
  fields: Record<string, string>
  names: string[]
}

const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1]
const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>')

/** The first form of a page: where it posts and its inputs' names and values. */
function firstForm(page: Page): Form {
  const open = /<form\b[^>]*>/i.exec(page.html)
  if (!open) throw new Error(`no form on ${page.url} (HTTP ${page.status}):\n${page.html.slice(0, 2000)}`)
  const end = page.html.indexOf('</form>', open.index)
  const body = page.html.slice(open.index, end < 0 ? undefined : end)
  const fields: Record<string, string> = {}
  for (const [tag] of body.matchAll(/<input\b[^>]*>/gi)) {
    const name = attr(tag, 'name')
    if (name) fields[name] = unescape(attr(tag, 'value') ?? '')
  }
  return { action: new URL(unescape(attr(open[0], 'action') ?? page.url), page.url).href, fields, names: Object.keys(fields) }
}

/**
 * Drives the issuer's own device verification pages over plain HTTP (a cookie jar, redirects
 * followed by hand), as a person does in a browser: enter the user code, confirm it (or abort),
 * sign in with the development login form. Returns the last page.
 */
export async function completeDeviceVerification(verificationUri: string, userCode: string, login: string, opts: { deny?: boolean } = {}): Promise<Page> {
  const jar = new Map<string, string>()
  const send = async (url: string, form?: Record<string, string>): Promise<Page> => {
    let next = url
    let body = form ? new URLSearchParams(form).toString() : undefined
    for (let hop = 0; hop < 10; hop++) {
      const headers: Record<string, string> = { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') }
      if (body) headers['content-type'] = 'application/x-www-form-urlencoded'
      const res = await fetch(next, { method: body ? 'POST' : 'GET', headers, body, redirect: 'manual' })
      for (const cookie of res.headers.getSetCookie()) {
        const pair = cookie.split(';')[0]!
        const at = pair.indexOf('=')
        const [name, value] = [pair.slice(0, at), pair.slice(at + 1)]
        if (!value || /expires=Thu, 01 Jan 1970/i.test(cookie)) jar.delete(name)
        else jar.set(name, value)
      }
      const location = res.headers.get('location')
      if (res.status >= 300 && res.status < 400 && location) {
        next = new URL(location, next).href
        body = undefined
        continue
      }
      return { url: next, status: res.status, html: await res.text() }
    }
    throw new Error(`too many redirects from ${url}`)
  }

  let page = await send(verificationUri)
  for (let step = 0; step < 8; step++) {
    if (!/<form\b/i.test(page.html)) return page
    const form = firstForm(page)
    if (form.names.includes('user_code') && !form.names.includes('confirm')) {
      page = await send(form.action, { ...form.fields, user_code: userCode })
    } else if (form.names.includes('confirm')) {
      const { confirm: _confirm, ...rest } = form.fields
      if (opts.deny) return send(form.action, { ...rest, abort: 'yes' })
      page = await send(form.action, form.fields)
    } else if (form.names.includes('login')) {
      page = await send(form.action, { ...form.fields, login, password: 'any password' })
    } else {
      page = await send(form.action, form.fields)
    }
  }
  throw new Error(`the device verification did not finish; last page ${page.url}:\n${page.html.slice(0, 2000)}`)
}
