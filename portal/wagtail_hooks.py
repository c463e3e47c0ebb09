"""Admin hooks of the portal: the stylesheet our admin views share (phones, #20 point 7)."""

from django.templatetags.static import static
from django.utils.html import format_html

from wagtail import hooks


@hooks.register("insert_global_admin_css")
def admin_stylesheet():
    return format_html('<link rel="stylesheet" href="{}">', static("portal/css/admin.css"))
