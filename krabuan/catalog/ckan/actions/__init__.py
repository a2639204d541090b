"""The CKAN actions; importing this package registers them all (see ckan.registry)."""

from krabuan.catalog.ckan.actions import groups, packages, search, site, write

__all__ = ["groups", "packages", "search", "site", "write"]
