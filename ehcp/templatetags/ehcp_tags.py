"""Small template filters for the EHC plan pages."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key):
    """Return mapping[key], or None."""
    return mapping.get(key) if mapping else None
