"""The console's page plumbing: what every app's pages share.

A page is a thin Django view over the same services and selectors as the app's API. It is
authenticated exactly like a cookie API call (the same JWT cookies, the same double-submit
CSRF check, the same tenant context), checks roles with the same table, and turns the
services' `ApplicationError` into an error state on the page. Apps keep their pages in
`<app>/pages/` and their templates in `<app>/templates/<app>/`; they register menu entries
in `flowline.core.pages.nav`. Templates and components live in `core/templates/pages/`.
"""
