"""The investigators' web UI, served by `clew serve` beside the API: server-rendered Jinja pages
(templates/) with a little progressive enhancement (htmx, from the npm lock in package.json, which
bin/setup installs into the cache: nothing from a CDN, no inline script or style, so the API's
strict Content-Security-Policy holds for the pages too).

Security is the API's, in the same places: every page that shows case data takes the same
dependency (search.api.access.current_scope: session cookie, CSRF on forms, purpose), the same
Scope reaches the same search service in this process, and every page view is an audit row
(search.api.audited.AuditedRoute). Errors on UI paths are the API's own errors answered as pages:
not signed in redirects to /login, no purpose to /purpose (search.ui.answers).

    mount      install(app): the routers and the HTML answers for errors, on the API's app
    routes/    session (login, purpose, logout), search, assets (static files)
    pages      the Jinja environment (autoescape everywhere) and render()
    highlight  the engine's highlight fragments as escaped text with <mark>
    links      the search page's links: facets, filters, pages (pure)
    forms      urlencoded form fields, and `next` kept to this site
    answers    errors on UI paths as pages and redirects

search.api.app imports `mount` inside create_app: the UI imports the API's modules, not the reverse.
"""
