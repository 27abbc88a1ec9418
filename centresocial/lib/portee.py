"""What every access rule of the app shares: nobody sees anything before logging in or once
deactivated, and the instance's administrators see everything."""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404


class PorteeQuerySet(models.QuerySet):
    def portee(self, user, regle):
        """The rows `regle(queryset, user)` gives a member of a structure or a partner; none for
        an anonymous or deactivated account; all of them for an administrator."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return regle(self, user)


def obtenir(permis, connus, pk):
    """The object `pk` among `permis`. When it is only among `connus` — known to the user, not
    theirs to act on (a partner on a fiche's staff page, the équipe on what the direction
    decides) — a 403; when not even that, a 404: another structure's object is never revealed."""
    try:
        return permis.get(pk=pk)
    except permis.model.DoesNotExist:
        if connus.filter(pk=pk).exists():
            raise PermissionDenied from None
        raise Http404 from None
