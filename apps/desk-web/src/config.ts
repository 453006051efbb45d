/**
 * The trust's own web domain, linked in public text alongside nhs.uk and gov.uk. The API does not
 * carry it yet, so the server may put it in index.html as
 * `<meta name="desk-trust-domain" content="example-trust.nhs.uk">` (a meta tag is fine under the CSP).
 */
export const TRUST_DOMAIN: string | null = document.querySelector<HTMLMetaElement>('meta[name="desk-trust-domain"]')?.content.trim() || null;
