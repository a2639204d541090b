from django.urls import re_path

from krabuan.catalog.views import dcat

urlpatterns = [
    re_path(r"^catalog\.(?P<fmt>ttl|rdf|xml|n3|jsonld)$", dcat.catalog_rdf, name="dcat_catalog"),
    re_path(
        r"^dataset/(?P<ref>[\w-]+)\.(?P<fmt>ttl|rdf|xml|n3|jsonld)$",
        dcat.dataset_rdf,
        name="dcat_dataset",
    ),
]
