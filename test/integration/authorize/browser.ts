/**
 * A minimal browser for the authorize flow over real HTTP: a cookie jar (name -> value, as
 * Set-Cookie left it), no automatic redirects (each 303 is asserted), and form helpers that
 * read the hidden fields of the page they submit.
 */
export interface Page {
  readonly status: number;
  readonly headers: Headers;
  readonly location?: string;
  readonly text: string;
  readonly setCookies: string[];
}

export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(private readonly base: string) {}

  get(path: string): Promise<Page> {
    return this.request(path, { method: 'GET' });
  }

  post(path: string, form: Record<string, string>): Promise<Page> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }

  private async request(path: string, init: RequestInit): Promise<Page> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(path.startsWith('http') ? path : `${this.base}${path}`, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    const setCookies = res.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => a.trim().toLowerCase() === 'max-age=0');
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return {
      status: res.status,
      headers: res.headers,
      location: res.headers.get('location') ?? undefined,
      text: await res.text(),
      setCookies,
    };
  }
}

/** The value of a hidden input (or any input) named `name` in a page. */
export function inputValue(html: string, name: string): string {
  const match = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html);
  if (!match) throw new Error(`no input ${name} in page:\n${html}`);
  return match[1].replace(/&amp;/g, '&').replace(/&quot;/g, '"');
}

/** Query parameters of a Location URL. */
export function paramsOf(location: string | undefined): Record<string, string> {
  if (!location) throw new Error('no Location header');
  return Object.fromEntries(new URL(location, 'http://relative.invalid').searchParams);
}
