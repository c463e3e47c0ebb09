"""Residence news and alerts: works, water cuts, lift outages, meetings."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager, PageQuerySet, Site
from wagtail.search import index

from portal.blocks import BodyBlock
from portal.models.listing import ListingPage
from residences.placement.forms import PlaceChoicesForm


class NewsCategory(models.TextChoices):
    WORKS = "travaux", _("Travaux")
    PRACTICAL = "info-pratique", _("Info pratique")
    LIFE = "vie-residence", _("Vie de la résidence")
    SAFETY = "securite", _("Sécurité")
    MEETING = "reunion", _("Réunion")


class AlertLevel(models.TextChoices):
    INFO = "info", _("Information")
    IMPORTANT = "important", _("Important")
    URGENT = "urgent", _("Urgent")


class NewsQuerySet(PageQuerySet):
    def listed(self):
        return self.live().public().order_by("-date", "-first_published_at", "-pk")

    def for_residence(self, residence):
        """What concerns a residence: its own news, its sector's and the landlord-wide ones."""
        from .sector import SectorPage

        sector = SectorPage.objects.ancestor_of(residence).first()
        site = Site.objects.filter(is_default_site=True).first()
        scope = Q(path__startswith=residence.path)
        if sector is not None:
            scope |= Q(path__startswith=sector.path, depth=sector.depth + 1)
        if site is not None:
            scope |= Q(path__startswith=site.root_page.path, depth=site.root_page.depth + 1)
        return self.filter(scope)

    def in_sector(self, sector):
        site = Site.objects.filter(is_default_site=True).first()
        scope = Q(path__startswith=sector.path)
        if site is not None:
            scope |= Q(path__startswith=site.root_page.path, depth=site.root_page.depth + 1)
        return self.filter(scope)

    def landlord_wide(self):
        site = Site.objects.filter(is_default_site=True).first()
        return self.filter(depth=site.root_page.depth + 1) if site else self.none()

    def running_alerts(self, now=None):
        """Alerts whose display window contains `now`: they vanish by themselves."""
        now = now or timezone.now()
        return (
            self.live()
            .public()
            .filter(is_alert=True, alert_from__lte=now, alert_until__gt=now)
            .order_by("-alert_level_rank", "-alert_from")
        )


NewsManager = PageManager.from_queryset(NewsQuerySet)


class NewsPageForm(PlaceChoicesForm):
    def clean(self):
        cleaned = super().clean()
        buildings = cleaned.get("buildings")
        parent = self.parent_page.specific if self.parent_page else None
        if buildings:
            from .residence import ResidencePage

            residence_id = parent.pk if isinstance(parent, ResidencePage) else None
            if any(building.residence_id != residence_id for building in buildings):
                self.add_error(
                    "buildings",
                    _("Choisissez seulement des bâtiments de la résidence où vous publiez."),
                )
        return cleaned


class NewsPage(Page):
    date = models.DateField(_("date"), default=timezone.localdate)
    category = models.CharField(_("catégorie"), max_length=20, choices=NewsCategory.choices)
    summary = models.CharField(_("en bref"), max_length=300)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(_("description de l'image"), max_length=250, blank=True)
    buildings = ParentalManyToManyField(
        "residences.Building",
        verbose_name=_("bâtiments concernés"),
        blank=True,
        related_name="news",
        help_text=_("Laissez vide si toute la résidence est concernée."),
    )
    is_alert = models.BooleanField(
        _("afficher en alerte"),
        default=False,
        help_text=_("Un bandeau bien visible pendant la période choisie (coupure d'eau, panne…)."),
    )
    alert_level = models.CharField(
        _("niveau"), max_length=10, choices=AlertLevel.choices, default=AlertLevel.IMPORTANT
    )
    alert_level_rank = models.PositiveSmallIntegerField(default=1, editable=False)
    alert_from = models.DateTimeField(_("alerte affichée à partir du"), null=True, blank=True)
    alert_until = models.DateTimeField(_("jusqu'au"), null=True, blank=True)
    # When what is announced takes place (the water cut itself), shown with the news.
    happens_from = models.DateTimeField(
        _("ce qui est annoncé a lieu le"),
        null=True,
        blank=True,
        help_text=_("Par exemple le début de la coupure d'eau ou des travaux."),
    )
    happens_until = models.DateTimeField(_("jusqu'au (facultatif)"), null=True, blank=True)

    objects = NewsManager()
    base_form_class = NewsPageForm

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("date"), FieldPanel("category")]),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("image_alt"),
        FieldPanel("body"),
        FieldPanel("buildings", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel([FieldPanel("happens_from"), FieldPanel("happens_until")]),
        MultiFieldPanel(
            [
                FieldPanel("is_alert"),
                FieldPanel("alert_level"),
                FieldRowPanel([FieldPanel("alert_from"), FieldPanel("alert_until")]),
            ],
            heading=_("Alerte"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("category"),
    ]
    parent_page_types = ["portal.HomePage", "residences.SectorPage", "residences.ResidencePage"]
    subpage_types: list[str] = []
    placement_question = _("Pour qui est cette actualité ?")  # residences.placement
    template = "pages/news_page.html"

    class Meta:
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")

    def clean(self):
        super().clean()
        errors = {}
        if self.is_alert and not (self.alert_from and self.alert_until):
            errors["alert_until"] = _("Indiquez le début et la fin de l'affichage de l'alerte.")
        elif self.alert_from and self.alert_until and self.alert_until <= self.alert_from:
            errors["alert_until"] = _("La fin de l'alerte doit être après son début.")
        if self.happens_until and not self.happens_from:
            errors["happens_from"] = _("Indiquez aussi quand cela commence.")
        elif self.happens_from and self.happens_until and self.happens_until <= self.happens_from:
            errors["happens_until"] = _("La fin doit être après le début.")
        if errors:
            raise ValidationError(errors)

    @property
    def happening(self) -> str:
        """When what is announced takes place: « Le mardi 8 décembre 2026, de 8h à 12h »."""
        from events.calendar.schedule import format_time
        from portal.french import french_date

        if self.happens_from is None:
            return ""
        start = timezone.localtime(self.happens_from)
        day = french_date(start, "l j F Y")
        if self.happens_until is None:
            return f"Le {day} à {format_time(start.time())}"
        end = timezone.localtime(self.happens_until)
        if end.date() == start.date():
            return f"Le {day}, de {format_time(start.time())} à {format_time(end.time())}"
        last = french_date(end, "l j F Y")
        return f"Du {day} à {format_time(start.time())} au {last} à {format_time(end.time())}"

    @property
    def place_label(self) -> str:
        """Where it applies (one page: its own query; lists use residences.places)."""
        if "_place_label" not in self.__dict__:
            from residences.places import label_places

            label_places([self])
        return self.__dict__["_place_label"]

    def save(self, *args, **kwargs):
        self.alert_level_rank = list(AlertLevel.values).index(self.alert_level)
        return super().save(*args, **kwargs)


class NewsIndexPage(ListingPage):
    """« Actualités » : all news, newest first, by residence, sector and category."""

    template = "pages/news_index_page.html"
    per_page = 10

    class Meta:
        verbose_name = _("liste des actualités")
        verbose_name_plural = _("listes des actualités")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        from residences.news_filters import NewsFilterForm

        context = super().get_context(request, *args, **kwargs)
        form = NewsFilterForm(request.GET or None)
        news = form.apply(NewsPage.objects.listed()).prefetch_related("buildings")
        page_obj = Paginator(news, self.per_page).get_page(request.GET.get("page"))
        from residences.places import label_places

        page_obj.object_list = label_places(page_obj.object_list)
        context.update(form=form, page_obj=page_obj, filter_params=form.query_params())
        return context
