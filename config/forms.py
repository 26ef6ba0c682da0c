"""How every form of the project renders: one field style, in one place.

`FORM_RENDERER` points here. `{{ form }}` and `{{ field.as_field_group }}` render through
templates/includes/form.html and templates/includes/field.html (label, widget, help text
and errors together, a fieldset for radios and checkbox lists), and no select or radio
offers Django's placeholder "---------": a required choice asks to choose, an optional
one says what leaving it empty means.
"""

from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import DateTimeBaseInput
from django.utils.translation import gettext_lazy as _

DASH = BLANK_CHOICE_DASH[0][1]
ISO_INPUT = {"date": "%Y-%m-%d", "datetime-local": "%Y-%m-%dT%H:%M", "time": "%H:%M"}


def _blank_label(field: forms.Field) -> str:
    # A form names what an empty choice means with `blank_label` on the field ("Nobody
    # yet", "Suited to the unit"); otherwise it is a choice to make, or no choice.
    label = getattr(field, "blank_label", None)
    if label is not None:
        return label
    return _("Choose…") if field.required else _("None")


class BoundField(forms.BoundField):
    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        # `field` is the form's own copy: changing it touches no other form.
        widget = field.widget
        placeholder = str(widget.attrs.get("placeholder", ""))
        if placeholder and placeholder.casefold().startswith(str(self.label).casefold()):
            # The label says it already, above the field (allauth's "Email address").
            widget.attrs.pop("placeholder")
        kind = widget.attrs.get("type") or getattr(widget, "input_type", None)
        if kind in ISO_INPUT and isinstance(widget, DateTimeBaseInput):
            # The browser's picker reads ISO values only; it shows them in the person's
            # language itself (a French "17/12/2026" would leave it empty).
            widget.format = ISO_INPUT[kind]
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == DASH:
                field.empty_label = _blank_label(field)
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if any(value == "" and label == DASH for value, label in choices):
                radio = isinstance(field.widget, forms.RadioSelect)
                if radio and field.required:
                    # A radio button that chooses nothing cannot be left chosen anyway.
                    choices = [(v, label) for v, label in choices if v != ""]
                else:
                    blank = _blank_label(field)
                    choices = [(v, blank if v == "" else label) for v, label in choices]
                field.choices = choices


class FormRenderer(TemplatesSetting):
    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"
    bound_field_class = BoundField
