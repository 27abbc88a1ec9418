"""« Prêt pour la CAF ? »: the projet checked against the criteria of the agrément.

One function per check, each registered with the criterion it belongs to and the circulaire it
comes from (`@verification`); `VERIFICATIONS` is the list, in the order the page shows it: when
the CAF's framework changes, a check is added, changed or dropped here and nowhere else.

A check reads the projet's data (`Donnees`, loaded once in a fixed number of queries) and returns
what is missing (`Manque`: a French sentence and the page where it is fixed), an empty list when
it passes, or `SansObjet` when it does not apply to this projet. Nothing here blocks an export.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.db import models
from django.urls import reverse

from actions.models import FicheAction, PartenariatAction
from centresocial.lib.nombres import format_montant
from evaluation.models import BilanAction
from evaluation.observatoire import Public, publics_du_texte, sans_accents
from projets.budget import Budget
from projets.models import Constat, Enjeu, ObjectifGeneral, SectionProjet

Type = SectionProjet.Type
Source = Constat.Source


@dataclass(frozen=True)
class Circulaire:
    reference: str
    date: date
    objet: str

    def __str__(self):
        return f"Circulaire {self.reference} du {self.date:%d/%m/%Y}"


CNAF_2012 = Circulaire("Cnaf n° 2012-013", date(2012, 6, 20), "animation de la vie sociale")
CNAF_2025 = Circulaire(
    "Cnaf",
    date(2025, 12, 18),
    "volet familles obligatoire à partir de 2027, priorité aux QPV et aux zones rurales",
)
# From this year every projet social has a volet familles (circulaire of 18 December 2025).
ANNEE_VOLET_FAMILLES = 2027


class Critere(models.TextChoices):
    """The criteria of the agrément, in the order the fédérations present them."""

    DIAGNOSTIC = "diagnostic", "Un diagnostic partagé"
    PARTICIPATION = "participation", "La participation des habitants"
    COHERENCE = "coherence", "Des axes qui répondent au diagnostic, un plan d'action cohérent"
    FAISABILITE = "faisabilite", "La faisabilité du projet"
    ACCUEIL = "accueil", "L'accueil et l'accessibilité"
    PUBLICS = "publics", "Des actions pour tous les âges, les familles et les publics fragiles"
    VALIDATION = "validation", "La validation du projet"


@dataclass(frozen=True)
class Manque:
    """What is missing, said in French, and where it is fixed."""

    message: str
    lien: str = ""
    action: str = "Corriger"


@dataclass(frozen=True)
class SansObjet:
    """The check does not apply to this projet, and why."""

    raison: str


@dataclass(frozen=True)
class Verification:
    code: str
    intitule: str
    critere: Critere
    circulaire: Circulaire
    fonction: object

    do_not_call_in_templates = True  # a template reads its intitulé, it does not run it

    def __call__(self, donnees):
        return Resultat(self, self.fonction(donnees))


@dataclass
class Resultat:
    verification: Verification
    reponse: object  # a list of Manque, or SansObjet

    @property
    def sans_objet(self):
        return isinstance(self.reponse, SansObjet)

    @property
    def manques(self):
        return [] if self.sans_objet else self.reponse

    @property
    def ok(self):
        return not self.manques


VERIFICATIONS = []


def verification(critere, intitule, circulaire=CNAF_2012):
    def enregistrer(fonction):
        VERIFICATIONS.append(
            Verification(fonction.__name__, intitule, critere, circulaire, fonction)
        )
        return fonction

    return enregistrer


@dataclass
class Groupe:
    critere: Critere
    resultats: list = field(default_factory=list)

    @property
    def a_revoir(self):
        return sum(1 for r in self.resultats if not r.ok)


@dataclass
class Rapport:
    resultats: list

    @property
    def a_revoir(self):
        return [r for r in self.resultats if not r.ok]

    @property
    def groupes(self):
        groupes = {}
        for resultat in self.resultats:
            critere = resultat.verification.critere
            groupes.setdefault(critere, Groupe(critere)).resultats.append(resultat)
        return [groupes[c] for c in Critere if c in groupes]


def verifier(projet, verifications=None):
    """Every check (or those given) run on the projet."""
    donnees = Donnees(projet)
    return Rapport([v(donnees) for v in verifications or VERIFICATIONS])


def mentionne(texte, *mots):
    """Does the text name one of the words (compared in lower case, without accents)?"""
    texte = sans_accents(texte or "")
    return any(mot in texte for mot in mots)


MOTS_HABITANTS = ("habitant", "usager")
MOTS_ACCESSIBILITE = ("accessib", "handicap", "mobilite reduite", "pmr")
# Words of a fiche's public or « attention particulière » that name a vulnerable public.
MOTS_VULNERABLES = (
    "isole",
    "isolement",
    "precar",
    "handicap",
    "vulnerab",
    "fragil",
    "monoparental",
    "parents seuls",
    "minima",
    "rsa",
    "allophone",
    "exil",
    "refugie",
    "sans emploi",
    "demandeurs d'emploi",
    "eloigne",
)
TRANCHES_AGE = [
    ("l'enfance (petite enfance comprise)", {Public.PETITE_ENFANCE, Public.ENFANCE}),
    ("la jeunesse", {Public.JEUNESSE}),
    ("les adultes", {Public.ADULTES}),
    ("les seniors", {Public.SENIORS}),
]


class Donnees:
    """The projet's data the checks read, each loaded once, on first use."""

    def __init__(self, projet):
        self.projet = projet

    @cached_property
    def sections(self):
        return list(self.projet.sections.all())

    def section(self, type_):
        """The text of the projet's sections of this type, put together."""
        return "\n".join(s.contenu for s in self.sections if s.type == type_).strip()

    def lien_section(self, type_):
        """The page where a section of this type is written: the first one, or a new one."""
        existante = next((s for s in self.sections if s.type == type_), None)
        if existante:
            return reverse("projets:section_modifier", args=[self.projet.pk, existante.pk])
        return reverse("projets:section_creer", args=[self.projet.pk]) + f"?type={type_}"

    def contenu(self, partie):
        return reverse("projets:contenu", args=[self.projet.pk]) + f"#{partie}"

    @cached_property
    def constats(self):
        return list(self.projet.constats.all())

    def constats_de(self, source):
        return [c for c in self.constats if c.source == source]

    @cached_property
    def enjeux(self):
        return list(
            Enjeu.objects.filter(projet=self.projet)
            .select_related("axe")
            .prefetch_related("constats")
        )

    @cached_property
    def objectifs(self):
        return list(
            ObjectifGeneral.objects.filter(axe__projet=self.projet)
            .select_related("axe", "enjeu")
            .prefetch_related("liens_fiches")
            .order_by("axe__transversal", "axe__ordre", "enjeu__numero", "ordre", "pk")
        )

    @cached_property
    def fiches(self):
        return list(
            FicheAction.objects.du_projet(self.projet)
            .select_related("axe", "referent")
            .prefetch_related("indicateurs")
        )

    @cached_property
    def territoires(self):
        return list(self.projet.structure.territoires.prefetch_related("chiffres"))

    @cached_property
    def instances(self):
        return list(self.projet.instances.all())

    @cached_property
    def budget(self):
        return Budget.du_projet(self.projet)

    @cached_property
    def bilans(self):
        return list(BilanAction.objects.du_projet(self.projet).select_related("fiche"))

    @cached_property
    def partenariats(self):
        return list(
            PartenariatAction.objects.filter(fiche__projet=self.projet)
            .select_related("fiche__axe", "partenaire")
            .order_by("fiche__axe__transversal", "fiche__axe__ordre", "fiche__numero", "pk")
        )

    def lien_fiche(self, fiche):
        return reverse("actions:modifier", args=[fiche.pk])


# --- Un diagnostic partagé ---


@verification(Critere.DIAGNOSTIC, "Le diagnostic s'appuie sur des statistiques")
def diagnostic_statistiques(d):
    chiffres = any(t.chiffres.all() for t in d.territoires)
    if chiffres or d.section(Type.PORTRAIT) or d.constats_de(Source.STATISTIQUE):
        return []
    return [
        Manque(
            "Ni chiffres clés du territoire, ni portrait de territoire, ni constat tiré des "
            "statistiques : le diagnostic « froid » manque.",
            d.contenu("territoires"),
            "Ajouter des chiffres clés",
        )
    ]


@verification(Critere.DIAGNOSTIC, "Le diagnostic donne la parole des habitants et des partenaires")
def diagnostic_paroles(d):
    manques = []
    for type_, source, qui in [
        (Type.POINT_DE_VUE_HABITANTS, Source.HABITANTS, "des habitants"),
        (Type.POINT_DE_VUE_PARTENAIRES, Source.PARTENAIRES, "des partenaires"),
    ]:
        if not (d.section(type_) or d.constats_de(source)):
            manques.append(
                Manque(
                    f"Le point de vue {qui} n'est pas écrit et aucun constat ne vient "
                    f"{qui} : le diagnostic « chaud » manque.",
                    d.lien_section(type_),
                    f"Écrire le point de vue {qui}",
                )
            )
    return manques


@verification(Critere.DIAGNOSTIC, "Les constats du diagnostic sont saisis")
def diagnostic_constats(d):
    if d.constats:
        return []
    return [
        Manque(
            "Aucun constat du diagnostic n'est saisi : les enjeux ne peuvent pas montrer à "
            "quoi ils répondent.",
            reverse("projets:constat_creer", args=[d.projet.pk]),
            "Ajouter un constat",
        )
    ]


@verification(Critere.DIAGNOSTIC, "Le projet précédent est évalué")
def evaluation_precedent(d):
    if d.section(Type.EVALUATION_PRECEDENT):
        return []
    return [
        Manque(
            "L'évaluation du projet précédent n'est pas écrite.",
            d.lien_section(Type.EVALUATION_PRECEDENT),
            "Écrire l'évaluation du projet précédent",
        )
    ]


# --- La participation des habitants ---


@verification(
    Critere.PARTICIPATION,
    "La participation des habitants est écrite : diagnostic, choix des enjeux, évaluation",
)
def participation_habitants(d):
    manques = []
    if not (d.section(Type.POINT_DE_VUE_HABITANTS) or d.constats_de(Source.HABITANTS)):
        manques.append(
            Manque(
                "Le diagnostic ne dit pas ce que les habitants ont exprimé.",
                d.lien_section(Type.POINT_DE_VUE_HABITANTS),
                "Écrire le point de vue des habitants",
            )
        )
    enjeux_habitants = any(
        c.source == Source.HABITANTS for enjeu in d.enjeux for c in enjeu.constats.all()
    )
    if not (enjeux_habitants or mentionne(d.section(Type.METHODOLOGIE), *MOTS_HABITANTS)):
        manques.append(
            Manque(
                "Rien ne montre que les habitants ont pris part au choix des enjeux : aucun "
                "enjeu ne répond à un constat des habitants, et la méthodologie ne les nomme pas.",
                d.lien_section(Type.METHODOLOGIE),
                "Décrire la méthodologie",
            )
        )
    evaluation = mentionne(d.section(Type.EVALUATION_PRECEDENT), *MOTS_HABITANTS) or any(
        b.resultat_habitants.strip() for b in d.bilans
    )
    if not evaluation:
        manques.append(
            Manque(
                "L'évaluation ne dit pas la place des habitants : l'évaluation du projet "
                "précédent ne les nomme pas et aucun bilan d'action ne donne de résultat pour "
                "les habitants.",
                d.lien_section(Type.EVALUATION_PRECEDENT),
                "Compléter l'évaluation",
            )
        )
    return manques


@verification(Critere.PARTICIPATION, "La gouvernance fait une place aux habitants")
def gouvernance_habitants(d):
    if not d.instances:
        return [
            Manque(
                "Aucune instance de gouvernance n'est décrite.",
                reverse("projets:instance_creer", args=[d.projet.pk]),
                "Ajouter une instance",
            )
        ]
    if any(mentionne(i.composition, *MOTS_HABITANTS) for i in d.instances):
        return []
    return [
        Manque(
            "Aucune instance de gouvernance ne compte d'habitants ou d'usagers dans sa "
            "composition.",
            d.contenu("gouvernance"),
            "Compléter la gouvernance",
        )
    ]


# --- Des axes qui répondent au diagnostic, un plan d'action cohérent ---


@verification(Critere.COHERENCE, "Chaque enjeu répond à des constats du diagnostic")
def enjeux_constats(d):
    if not d.enjeux:
        return [
            Manque(
                "Le projet n'a aucun enjeu.",
                reverse("actions:projet", args=[d.projet.pk]),
                "Construire l'arbre d'objectifs",
            )
        ]
    return [
        Manque(
            f"L'enjeu n° {enjeu.numero} « {enjeu.titre} » ne renvoie à aucun constat du "
            "diagnostic.",
            reverse("projets:enjeu_modifier", args=[enjeu.pk]),
            f"Relier l'enjeu n° {enjeu.numero}",
        )
        for enjeu in d.enjeux
        if not enjeu.constats.all()
    ]


@verification(Critere.COHERENCE, "Chaque objectif a ses fiches actions")
def objectifs_fiches(d):
    return [
        Manque(
            f"L'objectif « {objectif.titre} » ({objectif.axe.libelle}) n'a aucune fiche action.",
            reverse("projets:objectif_modifier", args=[objectif.pk]),
            "Voir l'objectif",
        )
        for objectif in d.objectifs
        if not objectif.liens_fiches.all()
    ]


@verification(Critere.COHERENCE, "Chaque fiche a un référent et au moins un indicateur")
def fiches_referent_indicateur(d):
    manques = []
    for fiche in d.fiches:
        sans = []
        if not fiche.nom_referent:
            sans.append("de référent")
        if not fiche.indicateurs.all():
            sans.append("d'indicateur")
        if sans:
            manques.append(
                Manque(
                    f"La fiche {fiche.reference} « {fiche.titre} » n'a pas {' ni '.join(sans)}.",
                    d.lien_fiche(fiche),
                    f"Compléter la fiche {fiche.reference}",
                )
            )
    return manques


# --- La faisabilité ---


@verification(Critere.FAISABILITE, "Le budget prévisionnel est équilibré")
def budget_equilibre(d):
    if not d.budget:
        return [
            Manque(
                "Le budget prévisionnel n'est pas saisi.",
                reverse("projets:ligne_budget_creer", args=[d.projet.pk]),
                "Saisir le budget",
            )
        ]
    return [
        Manque(
            f"Le budget {annee.annee} n'est pas équilibré : {format_montant(annee.total_charges)} € "
            f"de charges pour {format_montant(annee.total_produits)} € de produits.",
            d.contenu("budget"),
            f"Revoir le budget {annee.annee}",
        )
        for annee in d.budget.par_annee
        if (annee.charges or annee.produits) and annee.solde != 0
    ]


@verification(Critere.FAISABILITE, "Les partenaires ont confirmé leur engagement")
def engagements_partenaires(d):
    if not d.partenariats:
        return SansObjet("Aucun partenaire n'est associé aux fiches actions.")
    attendus = [p for p in d.partenariats if p.confirme_le is None]
    if not attendus:
        return []
    exemples = ", ".join(f"{p.partenaire} ({p.fiche.reference})" for p in attendus[:3])
    fin = ", …" if len(attendus) > 3 else "."
    return [
        Manque(
            f"{len(attendus)} engagement{'s' if len(attendus) > 1 else ''} de partenaires sur "
            f"{len(d.partenariats)} n'{'ont' if len(attendus) > 1 else 'a'} pas encore été "
            f"confirmé{'s' if len(attendus) > 1 else ''} depuis le portail des partenaires : "
            f"{exemples}{fin}",
            reverse("partenaires:liste"),
            "Voir les partenaires et leurs comptes",
        )
    ]


MOTS_DIRECTION = ("directeur", "directrice", "direction", "responsable de la structure")
# What says a director's qualification: the diplomas of the field (DESJEPS, DEJEPS, CAFERUIS,
# master…), a level, or the word itself.
MOTS_QUALIFICATION = (
    "desjeps",
    "dejeps",
    "caferuis",
    "cafdes",
    "master",
    "licence",
    "diplom",
    "qualifi",
    "niveau 6",
    "niveau 7",
    "niveau ii",
)


@verification(Critere.FAISABILITE, "Le poste de direction est pourvu et qualifié")
def poste_direction(d):
    """The circulaire asks a centre social for a director, qualified for the pilotage of the
    projet: the structure's équipe or the chapter « Organisation et équipe » names the post and
    says the qualification."""
    structure = d.projet.structure
    if structure.type == structure.Type.EVS:
        return SansObjet("Un espace de vie sociale n'est pas tenu d'avoir un poste de direction.")
    lignes = structure.equipe.splitlines() + d.section(Type.ORGANISATION).splitlines()
    direction = [ligne for ligne in lignes if mentionne(ligne, *MOTS_DIRECTION)]
    lien = reverse("projets:structure_modifier", args=[d.projet.pk])
    if not direction:
        return [
            Manque(
                "Le poste de direction n'apparaît ni dans l'équipe de la structure, ni dans le "
                "chapitre « Organisation et équipe ».",
                lien,
                "Décrire l'équipe",
            )
        ]
    if not any(mentionne(ligne, *MOTS_QUALIFICATION) for ligne in direction):
        return [
            Manque(
                "La qualification de la direction n'est pas précisée (son diplôme, par exemple "
                "le DESJEPS, ou son niveau) à côté du poste.",
                lien,
                "Préciser la qualification",
            )
        ]
    return []


# --- L'accueil et l'accessibilité ---


@verification(Critere.ACCUEIL, "L'accueil et l'accessibilité sont décrits")
def accueil_accessibilite(d):
    manques = []
    if not d.section(Type.PROJET_ACCUEIL):
        manques.append(
            Manque(
                "Le projet accueil n'est pas écrit.",
                d.lien_section(Type.PROJET_ACCUEIL),
                "Écrire le projet accueil",
            )
        )
    if not any(mentionne(s.contenu, *MOTS_ACCESSIBILITE) for s in d.sections):
        manques.append(
            Manque(
                "Le projet ne dit pas comment les lieux et les activités sont accessibles "
                "(aux personnes handicapées, à mobilité réduite…).",
                d.lien_section(Type.PROJET_ACCUEIL),
                "Décrire l'accessibilité",
            )
        )
    return manques


# --- Des actions pour tous les âges, les familles et les publics fragiles ---


def publics(fiche):
    trouves = set(publics_du_texte(fiche.public_vise))
    if fiche.projet_jeunesse:
        trouves.add(Public.JEUNESSE)
    if fiche.projet_familles:
        trouves.add(Public.FAMILLES)
    return trouves


@verification(
    Critere.PUBLICS, "Les fiches touchent tous les âges, les familles, les publics fragiles"
)
def fiches_publics(d):
    touches = set().union(*(publics(f) for f in d.fiches)) if d.fiches else set()
    manques = [
        Manque(
            f"Aucune fiche ne vise {tranche} (d'après le « public visé » des fiches).",
            reverse("actions:liste", args=[d.projet.pk]),
            "Voir les fiches",
        )
        for tranche, codes in TRANCHES_AGE
        if not touches & codes
    ]
    if Public.FAMILLES not in touches:
        manques.append(
            Manque(
                "Aucune fiche ne vise les familles.",
                reverse("actions:liste", args=[d.projet.pk]),
                "Voir les fiches",
            )
        )
    if not any(
        mentionne(f"{f.public_vise} {f.attention_particuliere}", *MOTS_VULNERABLES)
        for f in d.fiches
    ):
        manques.append(
            Manque(
                "Aucune fiche ne nomme de public fragile (personnes isolées, en précarité, "
                "en situation de handicap, familles monoparentales…) dans son public ou son "
                "attention particulière.",
                reverse("actions:liste", args=[d.projet.pk]),
                "Voir les fiches",
            )
        )
    return manques


@verification(Critere.PUBLICS, "Le volet familles et son référent", CNAF_2025)
def volet_familles(d):
    if not d.projet.agrement_acf and d.projet.annee_fin < ANNEE_VOLET_FAMILLES:
        return SansObjet(
            f"Le projet ne demande pas l'agrément ACF et s'achève avant {ANNEE_VOLET_FAMILLES}, "
            "année où le volet familles devient obligatoire."
        )
    manques = []
    texte = d.section(Type.PROJET_FAMILLES)
    if not texte:
        manques.append(
            Manque(
                "Le projet familles n'est pas écrit.",
                d.lien_section(Type.PROJET_FAMILLES),
                "Écrire le projet familles",
            )
        )
    fiches = [f for f in d.fiches if f.projet_familles]
    if not fiches:
        manques.append(
            Manque(
                "Aucune fiche n'est rattachée au projet familles (case « Projet Animation "
                "Collective Familles »).",
                reverse("actions:liste", args=[d.projet.pk]),
                "Voir les fiches",
            )
        )
    equipe = d.projet.structure.equipe.splitlines()
    nomme = mentionne(texte, "referent") or any(
        mentionne(ligne, "referent") and mentionne(ligne, "famille") for ligne in equipe
    )
    if not nomme:
        manques.append(
            Manque(
                "Le référent ou la référente familles n'est nommé ni dans le projet familles, "
                "ni dans l'équipe de la structure.",
                d.lien_section(Type.PROJET_FAMILLES),
                "Nommer le référent familles",
            )
        )
    return manques


MOTS_PRIORITAIRES = (
    "qpv",
    "quartier prioritaire",
    "quartiers prioritaires",
    "politique de la ville",
)


def nom_de_lieu(nom):
    """A place's name as a text names it: « Les Érables » is written « des Érables » too."""
    nom = sans_accents(nom.strip())
    for article in ("les ", "le ", "la ", "l'"):
        if nom.startswith(article):
            return nom.removeprefix(article)
    return nom


def textes_du_projet(d):
    """Everything the projet says in words: its chapters and its fiches."""
    yield from (s.contenu for s in d.sections)
    for fiche in d.fiches:
        yield from (fiche.titre, fiche.contexte, fiche.public_vise, fiche.presentation)


@verification(
    Critere.PUBLICS, "Les quartiers prioritaires du territoire sont au cœur du projet", CNAF_2025
)
def quartiers_prioritaires(d):
    """The circulaire of 2025 makes the QPV a priority: a territoire marked QPV must appear in
    what the projet says (by its name, its quartiers or the words of the politique de la
    ville)."""
    qpv = [t for t in d.territoires if t.qpv]
    if not qpv:
        return SansObjet("Aucun territoire de la structure n'est marqué quartier prioritaire.")
    textes = list(textes_du_projet(d))
    manques = []
    for territoire in qpv:
        noms = [territoire.nom, *territoire.quartiers.split(",")]
        mots = [*MOTS_PRIORITAIRES, *filter(None, map(nom_de_lieu, noms))]
        if not any(mentionne(texte, *mots) for texte in textes):
            manques.append(
                Manque(
                    f"Le territoire « {territoire.nom} » est un quartier prioritaire, mais ni les "
                    "chapitres ni les fiches ne le nomment : dites ce que le projet y fait.",
                    reverse("actions:liste", args=[d.projet.pk]),
                    "Voir les fiches",
                )
            )
    return manques


# --- La validation du projet ---


@verification(Critere.VALIDATION, "Le projet est validé par les instances")
def validation_instances(d):
    if d.projet.date_validation_instances:
        return []
    return [
        Manque(
            "La date de validation par les instances (conseil d'administration, conseil "
            "municipal, comité de pilotage) n'est pas renseignée.",
            reverse("projets:modifier", args=[d.projet.pk]),
            "Renseigner la date",
        )
    ]
