from django import template

register = template.Library()


def _one_line(value) -> str:
    return " ".join(str(value).splitlines())


@register.filter
def md_line(value) -> str:
    """Text on one Markdown line: a newline would end a heading or a paragraph."""
    return _one_line(value)


@register.filter
def md_cell(value) -> str:
    """Text for a Markdown table cell: on one line, with its pipes escaped."""
    return _one_line(value).replace("\\", "\\\\").replace("|", "\\|")
