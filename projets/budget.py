"""The budget prévisionnel of a projet, built once from its lines: the content page shows it year
by year, the dossier prints it as one table (posts × years)."""

from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from .models import LigneBudget

Sens = LigneBudget.Sens


@dataclass
class BudgetAnnuel:
    """One year: its charges and produits (lines), their totals and the balance."""

    annee: int
    charges: list
    produits: list

    @cached_property
    def total_charges(self):
        return sum((ligne.montant for ligne in self.charges), Decimal(0))

    @cached_property
    def total_produits(self):
        return sum((ligne.montant for ligne in self.produits), Decimal(0))

    @cached_property
    def solde(self):
        return self.total_produits - self.total_charges

    @property
    def parties(self):
        return [
            (Sens.CHARGE.label, self.charges, self.total_charges),
            (Sens.PRODUIT.label, self.produits, self.total_produits),
        ]


@dataclass
class LigneTableau:
    libelle: str
    montants: list  # one per year of the période, None where nothing is planned


@dataclass
class Budget:
    """The projet's budget: `par_annee` for the page, `charges`/`produits` rows with totals per
    year of the période for the dossier's table."""

    projet: object
    lignes: list

    @classmethod
    def du_projet(cls, projet, lignes=None):
        if lignes is None:
            lignes = list(projet.lignes_budget.all())
        return cls(projet, lignes)

    def __bool__(self):
        return bool(self.lignes)

    @property
    def annees(self):
        return self.projet.annees

    @cached_property
    def par_annee(self):
        """One year per year of the période, and any year a line still has (to be fixed)."""
        annees = sorted(set(self.annees) | {ligne.annee for ligne in self.lignes})
        return [
            BudgetAnnuel(
                annee,
                [x for x in self.lignes if x.annee == annee and x.sens == Sens.CHARGE],
                [x for x in self.lignes if x.annee == annee and x.sens == Sens.PRODUIT],
            )
            for annee in annees
        ]

    def _rangees(self, sens):
        """The posts of one side, the years of the période as columns (amounts of the same post
        and year added up)."""
        rangs = {annee: i for i, annee in enumerate(self.annees)}
        libelles = OrderedDict()
        for ligne in sorted(self.lignes, key=lambda lg: (lg.ordre, lg.annee, lg.pk)):
            if ligne.sens != sens or ligne.annee not in rangs:
                continue
            montants = libelles.setdefault(ligne.libelle, [None] * len(rangs))
            i = rangs[ligne.annee]
            montants[i] = (montants[i] or Decimal(0)) + ligne.montant
        return [LigneTableau(libelle, montants) for libelle, montants in libelles.items()]

    def _totaux(self, rangees):
        return [
            sum((r.montants[i] or Decimal(0) for r in rangees), Decimal(0))
            for i in range(len(self.annees))
        ]

    @cached_property
    def charges(self):
        return self._rangees(Sens.CHARGE)

    @cached_property
    def produits(self):
        return self._rangees(Sens.PRODUIT)

    @cached_property
    def total_charges(self):
        return self._totaux(self.charges)

    @cached_property
    def total_produits(self):
        return self._totaux(self.produits)

    @cached_property
    def solde(self):
        return [p - c for p, c in zip(self.total_produits, self.total_charges, strict=True)]
