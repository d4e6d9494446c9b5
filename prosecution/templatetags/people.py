"""`{{ user|person }}`: a person's name in the reader's script (prosecution/lib/names.py):
"Данияр Сейітқали" on Kazakh and Russian pages, "Daniyar Seyitkali" on English ones."""

from django import template

from prosecution.lib.names import Person, shown_name

register = template.Library()


@register.filter
def person(user: Person | None) -> str:
    return shown_name(user)
