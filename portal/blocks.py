"""StreamField blocks shared by every page body; each block names its own template."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "h4"]


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Intertitre")
        template = "components/streamfield/heading_block.html"
        form_classname = "title"
        preview_value = "Les prochains rendez-vous"


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=RICH_TEXT_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Paragraphe")
        template = "components/streamfield/paragraph_block.html"
        preview_value = "<p>Venez nombreux, petits et grands !</p>"


class FigureBlock(blocks.StructBlock):
    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Légende"), required=False, max_length=255)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "components/streamfield/figure_block.html"


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), max_length=120)
    text = blocks.RichTextBlock(label=_("Texte"), features=["bold", "italic", "link"])

    class Meta:
        icon = "info-circle"
        label = _("Encadré")
        template = "components/streamfield/callout_block.html"
        preview_value = {"title": "À savoir", "text": "<p>Entrée libre et gratuite.</p>"}


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    figure = FigureBlock()
    callout = CalloutBlock()
