"""Rows kept in an order the users choose: axes, enjeux, objectifs, sections and content rows.

One rule for all of them: a rank counted from 1 within a group (the projet, the axe, the
section, the territoire…); a new row takes the next rank with the group locked, so two rows
added at once never share one; moving a row swaps its rank with its neighbour's, each row saved
so its history is written.
"""

import copy

from auditlog.context import disable_auditlog
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.conf import settings
from django.db import models, router, transaction
from django.db.models import Max
from django.db.transaction import TransactionManagementError

HAUT, BAS = "haut", "bas"


class Ordonne(models.Model):
    """A row with a rank among the rows of its group.

    A model says which field holds the rank (`champ_ordre`), which fields its siblings share
    (`groupe_ordre`: the first one is the parent row locked while ranks are given), and whether
    a database constraint keeps ranks unique in the group (`ordre_unique`).
    """

    champ_ordre = "ordre"
    groupe_ordre: tuple[str, ...] = ()
    ordre_unique = False

    class Meta:
        abstract = True

    @property
    def rang(self):
        return getattr(self, self.champ_ordre)

    @rang.setter
    def rang(self, valeur):
        setattr(self, self.champ_ordre, valeur)

    def freres(self):
        """The rows of its group, itself included once saved, in their order."""
        groupe = {}
        for nom in self.groupe_ordre:
            attribut = self._meta.get_field(nom).attname
            groupe[attribut] = getattr(self, attribut)
        return type(self)._default_manager.filter(**groupe).order_by(self.champ_ordre, "pk")

    def verrouiller_groupe(self):
        """Lock the group's parent row until the transaction ends: whoever gives a rank in the
        same group waits. (NO KEY: rows pointing at the parent may still be added meanwhile.)"""
        base = router.db_for_write(type(self), instance=self)
        if not transaction.get_connection(base).in_atomic_block:
            raise TransactionManagementError("Un rang se donne dans une transaction.")
        parent = self._meta.get_field(self.groupe_ordre[0])
        lignes = parent.related_model._default_manager.using(base).select_for_update(no_key=True)
        list(lignes.filter(pk=getattr(self, parent.attname)).values_list("pk"))

    def rang_suivant(self):
        """The rank after the last one of its group: 1 in an empty group."""
        dernier = self.freres().exclude(pk=self.pk).aggregate(m=Max(self.champ_ordre))["m"]
        return (dernier or 0) + 1

    def placer_a_la_fin(self):
        """Take the next rank of the group, which stays locked until the transaction ends: call
        it in the transaction that saves the row."""
        self.verrouiller_groupe()
        self.rang = self.rang_suivant()

    @transaction.atomic
    def deplacer(self, sens):
        """Swap ranks with the row just before (HAUT) or after (BAS) in the group, and return
        that row; None when the row is already first or last, and nothing changes."""
        self.verrouiller_groupe()
        freres = list(self.freres())
        places = [i for i, frere in enumerate(freres) if frere.pk == self.pk]
        if not places:  # gone, or moved to another group meanwhile
            return None
        i = places[0]
        self.rang = freres[i].rang  # as saved, whatever this copy was read with
        freres[i] = self
        j = i - 1 if sens == HAUT else i + 1
        if not 0 <= j < len(freres):
            return None
        if len({frere.rang for frere in freres}) < len(freres):
            # Equal ranks (imported data): number the group first so the swap means something.
            self._numeroter(freres)
        autre = freres[j]
        if self.ordre_unique:
            self._echanger_par_un_rang_libre(autre)
        else:
            self.rang, autre.rang = autre.rang, self.rang
            self.save(update_fields=[self.champ_ordre])
            autre.save(update_fields=[self.champ_ordre])
        return autre

    @transaction.atomic
    def renumeroter(self):
        """Number the group 1…n in its order (only the rows whose rank changes are saved)."""
        self.verrouiller_groupe()
        self._numeroter(list(self.freres()))

    def _numeroter(self, freres):
        # Ascending: a rank given is never held by a row still to come (unique ranks stay so).
        for rang, frere in enumerate(freres, start=1):
            if frere.rang != rang:
                frere.rang = rang
                frere.save(update_fields=[self.champ_ordre])

    def _echanger_par_un_rang_libre(self, autre):
        """Swap two unique ranks through a free one; the history shows the real change of each
        row, not the detour (the detour is saved without history, the change logged after)."""
        avant = [copy.copy(self), copy.copy(autre)]
        mien, sien = self.rang, autre.rang
        libre = self.freres().aggregate(m=Max(self.champ_ordre))["m"] + 1
        with disable_auditlog():
            for ligne, rang in ((self, libre), (autre, mien), (self, sien)):
                ligne.rang = rang
                ligne.save(update_fields=[self.champ_ordre])
        for ancien, ligne in zip(avant, (self, autre), strict=True):
            changements = model_instance_diff(
                ancien,
                ligne,
                fields_to_check=[self.champ_ordre],
                use_json_for_changes=getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False),
            )
            LogEntry.objects.log_create(ligne, action=LogEntry.Action.UPDATE, changes=changements)
