"""Django's JSON serializer, without its rounding of times to the millisecond: a backup must
give back exactly what it saved. Its output is plain JSON, loaded by the standard one."""

import datetime

from django.core.serializers.json import Deserializer  # noqa: F401
from django.core.serializers.json import Serializer as JsonSerializer


class Serializer(JsonSerializer):
    def _value_from_field(self, obj, field):
        valeur = field.value_from_object(obj)
        if isinstance(valeur, datetime.datetime | datetime.time):
            return valeur.isoformat()
        return super()._value_from_field(obj, field)
