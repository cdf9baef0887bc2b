from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "flowline.sites"
    label = "sites"

    def ready(self) -> None:
        from flowline.billing.public import register_limit_counter
        from flowline.identity.public import SiteDirectory, register_site_directory
        from flowline.sites import public

        register_limit_counter("max_sites", public.site_count)
        # identity asks sites which sites a restricted member reaches (sites owns the grants)
        register_site_directory(
            SiteDirectory(
                granted_site_ids=public.granted_site_ids,
                accessible_sites=public.accessible_sites,
                existing_site_ids=public.existing_site_ids,
                grant_sites=public.grant_sites,
            )
        )
