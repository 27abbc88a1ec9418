"""The detector: blocks → a proposed projet (`proposition.Proposition`).

It reads the blocks once, in order, keeping where it stands: the current axe, enjeu and
objectif général, the fiche being read and its rubric, the chapter being read. What it
recognises:

- axes (« Axe 1 : … », « AXE II », « Axe transversal – … », a title on the next line), enjeux
  (« Enjeu n° 3 : … »), objectifs généraux (« Objectif général : … », the cells of an arbre);
- fiches, in both layouts: headings and paragraphs (« Action 12 », « Fiche action n° 3 : … »,
  « 01. Titre » after an axe, or any heading followed by fiche rubrics), and bordered tables (a
  row of rubrics over a row of contents, « rubrique | contenu » rows, a rubric heading its own
  cell, tables of « objet / indicateur / outil », « étapes / échéancier », « niveau actuel /
  visé »); their rubrics through the one table of `synonymes.RUBRIQUES_FICHE`;
- the arbre d'objectifs as a table (enjeu rows, objectif rows, « 01. fiche | E » rows with the
  year grid), and objectifs laid out in columns (« Objectif général / Objectifs opérationnels /
  Indicateurs / Exemple » cells);
- the chapters (`synonymes.CHAPITRES` → SectionProjet.Type), the sommaire (left out), the sigles
  (a table or « SIGLE : signification » lines), the chiffres clés (a table of numbers);
- the partners named in fiches, matched to the structure's directory by their normalised name or
  sigle (`annuaire`), or proposed as new.

Text is taken as the document has it (`blocs.nettoyer`); nothing is rewritten.
"""

import re

from centresocial.lib.nombres import NombreIllisible, lire_nombre

from . import proposition as p
from .blocs import LISTE, PARAGRAPHE, TABLEAU, TITRE, Element
from .erreurs import DocumentSansProjet
from .synonymes import (
    niveau_participation,
    normaliser,
    prefixe_rubrique,
    reconnaitre,
    sans_accents,
    separer_rubrique,
)

ROMAINS = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
}
SEP = r"\s*[:\-–—.)/]*\s*"
AXE = re.compile(
    r"^[«\"“\s]*axe\s*(?:n\s*[°o]\s*)?[«\"“\s]*(?P<num>\d{1,2}|(?:i{1,3}|iv|vi{0,3}|ix|x)\b|transversa(?:l|le|ux)\b)?"
    + SEP
    + r"(?P<titre>.*?)[»\"”\s]*$",
    re.IGNORECASE | re.DOTALL,
)
ENJEU = re.compile(
    r"^enjeu\s*(?:n\s*[°o]\.?\s*)?(?P<num>\d{1,2})" + SEP + r"(?P<titre>.*)$",
    re.IGNORECASE | re.DOTALL,
)
FICHE_EXPLICITE = re.compile(
    r"^(?:fiche[\s\-]*actions?|fiche|action)\s*(?:n\s*[°o]\.?\s*)?"
    r"(?:(?P<axe>\d{1,2})\s*[.\-]\s*)?(?P<num>\d{1,3})\b" + SEP + r"(?P<titre>.*)$",
    re.IGNORECASE | re.DOTALL,
)
FICHE_SANS_NUMERO = re.compile(r"^fiche[\s\-]*actions?\s*[:\-–—]?\s*(?P<titre>.*)$", re.IGNORECASE)
FICHE_NUMEROTEE = re.compile(
    r"^(?:(?P<axe>\d{1,2})\s*[.\-]\s*)?(?P<num>\d{1,2})\s*[.\-–—)]\s*(?P<titre>[^\d\s].*)$",
    re.DOTALL,
)
OBJECTIF = re.compile(
    r"^(?:objectif\s+g[ée]n[ée]ral|og)\s*(?:n\s*[°o]\.?\s*)?(?P<num>\d{1,2})?\s*[:\-–—.]\s*(?P<titre>.+)$",
    re.IGNORECASE | re.DOTALL,
)
SOMMAIRE = re.compile(r"(?:\.{3,}|…{2,}|_{3,}|\s{3,}|\t)\s*(?:p(?:age|\.)?\s*)?\d{1,3}\s*$")
ANNEE = re.compile(r"^(19|20)\d\d$")
PERIODE = re.compile(r"\b((?:19|20)\d\d)\s*(?:[-–—/]|à|au)\s*((?:19|20)\d\d)\b")
CODE_PLAN = {"e": "E", "na": "NA", "ae": "AE"}
COCHE = re.compile(
    r"[☒☑✓✔✗✘■⊠]|\[\s*[xX]\s*\]|\(\s*[xX]\s*\)|^\s*[xX]\s+|\b(?:oui)\s*$", re.IGNORECASE
)
DECOCHE = re.compile(r"[☐□❑▢]|\[\s*\]|\(\s*\)|\b(?:non)\s*$", re.IGNORECASE)
MOTS_HUMAINS = re.compile(
    r"\b(ads|animat|b[ée]n[ée]vole|salari|agent|r[ée]f[ée]rent|professionnel|intervenant|"
    r"coordinat|directeu|directri|[ée]ducat|conseill|stagiaire|vacataire|[ée]quipe|personnel|"
    r"psycholog|m[ée]diat|accueillant|secr[ée]tair|etp|heures?\b|h\s*/\s*semaine)",
    re.IGNORECASE,
)
MOTS_ARGENT = re.compile(
    r"(€|\beuros?\b|\bbudget|financ|subvention|\bcr[ée]dit|\bfonds?\b|prestation de service|"
    r"\bco[\s-]?financ|\bcotisation|\bparticipation financi|\brémun[ée]ration|\bcoût)",
    re.IGNORECASE,
)
RUBRIQUES_OBJECTIF = {
    "objectifs_operationnels": "objectifs_operationnels",
    "indicateurs": "indicateurs_resultats",
}
# Rubrics enough by themselves to open a fiche the document does not announce.
RUBRIQUES_FORTES = {
    "contexte",
    "objectifs_operationnels",
    "objectifs",
    "public_vise",
    "presentation",
    "echeancier",
    "moyens",
    "moyens_humains",
    "partenaires",
    "resultats_attendus",
    "indicateurs",
    "freins",
}


def detecter(blocs, fichier="", annuaire=(), progression=None):
    """The Proposition for `blocs`; `annuaire`: the directory's partners as (pk, nom, sigle).

    Raises DocumentSansProjet when neither a fiche nor an axe was found."""
    detecteur = Detecteur(blocs, fichier)
    detecteur.lire(progression)
    proposition = detecteur.finir(annuaire)
    if not proposition.fiches and not proposition.axes:
        raise DocumentSansProjet()
    return proposition


def est_intitule(bloc):
    """A heading, or a short paragraph that reads like one (no sentence ending)."""
    if bloc.sorte == TITRE:
        return True
    if bloc.sorte != PARAGRAPHE:
        return False
    texte = bloc.texte.strip()
    if len(texte) > 160 or texte.count("\n") > 2:
        return False
    return bloc.gras or texte.endswith(":") or not re.search(r"[.;!?…]$", texte)


def niveau_de(bloc):
    return bloc.niveau if bloc.sorte == TITRE else 9


def cle_partenaire(nom):
    return normaliser(nom, numerotation=False)


def est_nombre(texte):
    propre = re.sub(r"[%€]|\bans?\b|\bhab\.?|\*+$", "", texte).strip()
    if not propre:
        return False
    try:
        return lire_nombre(propre) is not None
    except NombreIllisible:
        return False


class Detecteur:
    def __init__(self, blocs, fichier):
        self.blocs = blocs
        self.p = p.Proposition(fichier=fichier, blocs=blocs)
        self.axe = None
        self.enjeu = None
        self.objectif = None
        self.champ_objectif = None
        self.fiche = None
        self.fiche_niveau = 9
        self.champ = None
        self.apres_tableau = False
        self.section = None
        self.section_niveau = 9
        self.zone = None
        self.sommaire_vus = set()
        self.attente = None
        self.titre_libre = None
        self.arbre = []
        self.compteur = 0
        self.i = 0

    # --- Making objects ---------------------------------------------------------------------

    def morceau(
        self, texte, bloc, ou="", objet="", champ="", forme="paragraphe", niveau=0, **details
    ):
        self.compteur += 1
        morceau = p.Morceau(
            id=f"m{self.compteur}",
            texte=texte,
            bloc=bloc.numero,
            position=bloc.position + (f", {ou}" if ou else ""),
            objet=objet,
            champ=champ,
            forme=forme,
            niveau=niveau,
            details={k: v for k, v in details.items() if v not in (None, "")},
        )
        self.p.morceaux.append(morceau)
        return morceau

    def nouvel_axe(self, bloc, numero, transversal, titre):
        self.fermer_fiche()
        self.fermer_section()
        self.enjeu = self.objectif = None
        for axe in self.p.axes:
            meme = (
                (numero is not None and axe.numero == numero and not transversal)
                or (transversal and axe.transversal)
                or (
                    numero is None
                    and not transversal
                    and titre
                    and normaliser(titre) == normaliser(axe.titre)
                )
            )
            if meme:
                if titre and (
                    not axe.titre
                    or normaliser(titre).startswith(normaliser(axe.titre))
                    and len(titre) > len(axe.titre)
                    or (bloc.sorte == TITRE and self.blocs[axe.bloc].sorte != TITRE)
                ):
                    axe.titre, axe.bloc = titre, bloc.numero
                self.axe = axe
                break
        else:
            self.axe = p.Axe(
                id=self.p.nouvel_id("a"),
                titre=titre,
                bloc=bloc.numero,
                numero=numero,
                transversal=transversal,
            )
            self.p.axes.append(self.axe)
        self.attente = "titre_axe" if not titre else None
        self.morceau(bloc.texte, bloc, objet=self.axe.id, champ="titre", forme="titre")

    def nouvel_enjeu(self, bloc, numero, titre, texte=None, ou=""):
        self.fermer_fiche()
        if self.axe is None:
            self.nouvel_axe_implicite(bloc)
        for enjeu in self.p.enjeux:
            if enjeu.numero == numero:
                self.enjeu = enjeu
                break
        else:
            self.enjeu = p.Enjeu(
                id=self.p.nouvel_id("e"),
                axe=self.axe.id,
                numero=numero,
                titre=titre,
                bloc=bloc.numero,
            )
            self.p.enjeux.append(self.enjeu)
        self.objectif = None
        self.morceau(
            texte or bloc.texte, bloc, ou, objet=self.enjeu.id, champ="titre", forme="titre"
        )

    def nouvel_objectif(self, bloc, titre, ou=""):
        if self.axe is None:
            self.nouvel_axe_implicite(bloc)
        cle = normaliser(titre, numerotation=False)
        for objectif in self.p.objectifs:
            if (
                objectif.axe == self.axe.id
                and normaliser(objectif.titre, numerotation=False) == cle
            ):
                self.objectif = objectif
                break
        else:
            self.objectif = p.Objectif(
                id=self.p.nouvel_id("o"),
                axe=self.axe.id,
                enjeu=self.enjeu.id if self.enjeu else "",
                titre=titre,
                bloc=bloc.numero,
            )
            self.p.objectifs.append(self.objectif)
        self.champ_objectif = None
        return self.objectif

    def nouvel_axe_implicite(self, bloc):
        self.axe = p.Axe(
            id=self.p.nouvel_id("a"), titre="Fiches sans axe", bloc=bloc.numero, a_nommer=True
        )
        self.p.axes.append(self.axe)

    def fiche_du_titre(self, titre_bloc):
        """A fiche whose title is a heading read before (its pieces become the title)."""
        self.nouvelle_fiche(titre_bloc, None, titre_bloc.texte.strip(), morceau_titre=False)
        for m in self.p.morceaux:
            if m.bloc == titre_bloc.numero and not m.champ:
                m.objet, m.champ, m.forme = self.fiche.id, "titre", "titre"

    def nouvelle_fiche(self, bloc, numero, titre, texte=None, ou="", morceau_titre=True):
        self.fermer_fiche()
        self.fermer_section()
        self.fiche = p.Fiche(
            id=self.p.nouvel_id("f"),
            titre=titre,
            bloc=bloc.numero,
            axe=self.axe.id if self.axe else "",
            numero=numero,
        )
        self.p.fiches.append(self.fiche)
        self.fiche_niveau = niveau_de(bloc)
        self.attente = "titre_fiche" if not titre else None
        self.titre_libre = None
        if morceau_titre:
            self.morceau(
                texte or bloc.texte, bloc, ou, objet=self.fiche.id, champ="titre", forme="titre"
            )
        return self.fiche

    def fermer_fiche(self):
        self.fiche = None
        self.champ = None
        self.apres_tableau = False
        self.fiche_niveau = 9
        if self.attente == "titre_fiche":
            self.attente = None

    def nouvelle_section(self, bloc, type_, titre):
        self.fermer_fiche()
        self.section = p.Section(
            id=self.p.nouvel_id("s"), type=type_, titre=titre, bloc=bloc.numero
        )
        self.p.sections.append(self.section)
        self.section_niveau = niveau_de(bloc)
        self.zone = None
        self.morceau(bloc.texte, bloc, objet=self.section.id, champ="titre", forme="titre")

    def fermer_section(self):
        self.section = None
        self.section_niveau = 9

    # --- Reading --------------------------------------------------------------------------

    def lire(self, progression=None):
        total = len(self.blocs)
        for rang, bloc in enumerate(self.blocs):
            self.i = rang
            if progression and rang % 200 == 0:
                progression(rang, total)
            if bloc.sorte == TABLEAU:
                self.tableau(bloc)
            elif bloc.sorte == LISTE:
                self.liste(bloc)
            else:
                self.paragraphe(bloc)

    def annonce_fiche(self, depuis, portee=14):
        """Whether the blocks after `depuis` hold fiche rubrics (two, or a table holding two),
        before the next heading of the same rank."""
        niveau = niveau_de(self.blocs[depuis])
        rubriques = set()
        for bloc in self.blocs[depuis + 1 : depuis + 1 + portee]:
            if (
                bloc.sorte == TITRE
                and bloc.niveau <= niveau
                and not reconnaitre(bloc.texte, "fiche")
            ):
                break
            if bloc.sorte == TABLEAU:
                for ligne in bloc.lignes[:12]:
                    for cellule in ligne:
                        if cellule.elements:
                            cle = reconnaitre(cellule.elements[0].texte, "fiche")
                            cle = cle or separer_rubrique(cellule.elements[0].texte)[0]
                            if cle:
                                rubriques.add(cle)
            elif est_intitule(bloc):
                cle = reconnaitre(bloc.texte, "fiche") or separer_rubrique(bloc.texte)[0]
                if cle:
                    rubriques.add(cle)
            elif bloc.sorte == PARAGRAPHE:
                cle = separer_rubrique(bloc.texte)[0]
                if cle:
                    rubriques.add(cle)
            if (
                AXE.match(bloc.texte or "")
                and est_intitule(bloc)
                and bloc is not self.blocs[depuis]
            ):
                break
            if len(rubriques & RUBRIQUES_FORTES) >= 2:
                return True
        return len(rubriques & RUBRIQUES_FORTES) >= 2

    def paragraphe(self, bloc):
        texte = bloc.texte
        intitule = est_intitule(bloc)
        forme = normaliser(texte)
        if SOMMAIRE.search(texte) and len(texte) < 200:
            self.morceau(texte, bloc, champ=p.IGNORE, raison="sommaire")
            return
        if self.zone == "sommaire":
            if bloc.sorte != TITRE and forme not in self.sommaire_vus:
                self.sommaire_vus.add(forme)
                self.morceau(texte, bloc, champ=p.IGNORE, raison="sommaire")
                return
            self.zone = None
        if self.attente == "titre_axe" and not AXE.match(texte):
            if len(texte) <= 200 and intitule:
                self.axe.titre = texte
                self.attente = None
                self.morceau(texte, bloc, objet=self.axe.id, champ="titre", forme="titre")
                return
            self.attente = None
        if self.fiche is not None and self.etiquette(bloc):
            return
        if intitule and self.structure(bloc):
            return
        if self.attente == "titre_fiche":
            self.attente = None
            if intitule and len(texte) <= 255 and not reconnaitre(texte, "fiche"):
                self.fiche.titre = texte
                self.morceau(texte, bloc, objet=self.fiche.id, champ="titre", forme="titre")
                return
        if self.fiche is not None:
            if self.rubrique(bloc, intitule):
                return
            if intitule and bloc.sorte == TITRE and bloc.niveau <= self.fiche_niveau:
                self.fermer_fiche()
            elif self.champ and not self.apres_tableau:
                self.champ = self.contenu(self.champ, [Element(texte=texte, gras=bloc.gras)], bloc)
                return
            elif not self.apres_tableau or not intitule:
                self.morceau(texte, bloc)
                return
            else:
                self.fermer_fiche()
        if intitule and self.hors_fiche_intitule(bloc):
            return
        self.hors_fiche(bloc, [Element(texte=texte, gras=bloc.gras)])

    def liste(self, bloc):
        elements = bloc.items
        if self.zone == "sommaire" or all(SOMMAIRE.search(e.texte) for e in elements):
            for n, element in enumerate(elements, 1):
                self.morceau(element.texte, bloc, f"élément {n}", champ=p.IGNORE, raison="sommaire")
            return
        if self.attente:
            self.attente = None
        if self.fiche is not None and self.champ and not self.apres_tableau:
            self.champ = self.contenu(self.champ, elements, bloc)
            return
        if self.fiche is not None:
            for n, element in enumerate(elements, 1):
                self.morceau(
                    element.texte, bloc, f"élément {n}", forme="puce", niveau=element.niveau
                )
            return
        self.hors_fiche(bloc, elements)

    # --- Recognising the parts ------------------------------------------------------------------

    def structure(self, bloc):
        """Axes, enjeux, fiches announced as such, zones: True when the block was one."""
        texte = bloc.texte.strip()
        trouve = AXE.match(texte)
        if trouve and len(texte) <= 200 and not reconnaitre(texte, "fiche"):
            numero, transversal = trouve["num"], False
            if numero:
                if numero.lower().startswith("transversa"):
                    numero, transversal = None, True
                elif numero.isdigit():
                    numero = int(numero)
                else:
                    numero = ROMAINS.get(numero.lower())
            titre = trouve["titre"].strip(' «»"“”:–-')
            if numero is None and not transversal and not titre:
                return False
            self.nouvel_axe(
                bloc, numero, transversal, " ".join(titre.split()) if "\n" in titre else titre
            )
            return True
        trouve = ENJEU.match(texte)
        if trouve and len(texte) <= 300:
            self.nouvel_enjeu(bloc, int(trouve["num"]), trouve["titre"].strip())
            return True
        trouve = FICHE_EXPLICITE.match(texte)
        if trouve and len(texte) <= 300 and not SOMMAIRE.search(texte):
            self.nouvelle_fiche(bloc, int(trouve["num"]), trouve["titre"].strip(" :–-"))
            return True
        trouve = FICHE_SANS_NUMERO.match(texte)
        if trouve and len(texte) <= 300 and bloc.sorte == TITRE and not reconnaitre(texte, "zone"):
            self.nouvelle_fiche(bloc, None, trouve["titre"].strip())
            return True
        trouve = FICHE_NUMEROTEE.match(texte)
        dans_les_fiches = self.zone == "fiches" or self.axe is not None
        if (
            trouve
            and dans_les_fiches
            and len(texte) <= 255
            and (self.fiche is None or self.fiche_niveau >= niveau_de(bloc) or bloc.sorte == TITRE)
            and not reconnaitre(trouve["titre"], "fiche")
            and self.annonce_fiche(self.i)
        ):
            self.nouvelle_fiche(bloc, int(trouve["num"]), trouve["titre"].strip())
            return True
        zone = reconnaitre(texte, "zone")
        if zone and (self.fiche is None or zone != "fiches" or bloc.sorte == TITRE):
            if zone == "fiches" and self.fiche is None and self.annonce_fiche(self.i):
                return False
            self.fermer_fiche()
            self.fermer_section()
            self.zone = zone
            self.morceau(texte, bloc, champ=p.IGNORE, raison=zone)
            return True
        return False

    def etiquette(self, bloc):
        """« ☒ Projet Jeunesse », « Projet Animation Collective Famille : oui »: a fiche's tags."""
        texte = bloc.texte.strip()
        nu = re.sub(r"[☒☑✓✔✗✘■⊠☐□❑▢\[\]()]", " ", texte)
        nu = re.sub(r"\s*[:\-]\s*(oui|non)\s*$", "", nu, flags=re.IGNORECASE).strip()
        cle = reconnaitre(nu, "etiquette")
        if not cle or len(texte) > 80:
            return False
        self.poser_etiquette(cle, texte)
        self.morceau(texte, bloc, objet=self.fiche.id, champ=p.IGNORE, raison="etiquette")
        return True

    def poser_etiquette(self, cle, texte):
        if COCHE.search(texte):
            setattr(self.fiche, cle, True)
        elif DECOCHE.search(texte):
            setattr(self.fiche, cle, False)
        else:
            # Printed without a box: the tag says the fiche belongs, unless the fiche prints
            # every tag (a template where only a box would tell); decided in `finir`.
            self.fiche.__dict__.setdefault("_nues", []).append(cle)

    def rubrique(self, bloc, intitule):
        """A fiche rubric (« Public visé », « Partenaires : A, B »): True when the block was one."""
        texte = bloc.texte.strip()
        cle = reconnaitre(texte, "fiche") if intitule else None
        reste = ""
        if cle is None:
            cle, reste = separer_rubrique(texte)
        if cle is None and intitule and (bloc.sorte == TITRE or bloc.gras or texte.endswith(":")):
            cle = reconnaitre(texte.rstrip(" :"), "fiche", prefixe=True)
        if cle is None:
            return False
        if cle == "titre":
            if reste and not self.fiche.titre:
                self.fiche.titre = reste
            self.morceau(texte, bloc, objet=self.fiche.id, champ="titre", forme="titre")
            return True
        self.champ = cle
        self.apres_tableau = False
        self.morceau(
            texte if not reste else texte[: len(texte) - len(reste)].strip(),
            bloc,
            objet=self.fiche.id,
            champ=p.IGNORE,
            raison="rubrique",
            rubrique=cle,
        )
        if reste:
            self.champ = self.contenu(cle, [Element(texte=reste)], bloc, rubrique=texte)
        return True

    def hors_fiche_intitule(self, bloc):
        """A heading outside a fiche: an implicit fiche, an objectif, a chapter."""
        texte = bloc.texte.strip()
        trouve = OBJECTIF.match(texte)
        if trouve and (self.axe is not None) and len(texte) <= 300:
            self.fermer_section()
            objectif = self.nouvel_objectif(bloc, trouve["titre"].strip())
            self.morceau(texte, bloc, objet=objectif.id, champ="titre", forme="titre")
            return True
        cle_fiche = reconnaitre(texte, "fiche") or separer_rubrique(texte)[0]
        if self.objectif is not None and self.section is None:
            cle_objectif = RUBRIQUES_OBJECTIF.get(cle_fiche)
            if reconnaitre(texte, "objectif"):
                cle_objectif = "exemples"
            if cle_objectif:
                self.champ_objectif = cle_objectif
                self.morceau(texte, bloc, objet=self.objectif.id, champ=p.IGNORE, raison="rubrique")
                return True
        dans_les_fiches = self.zone == "fiches" or self.axe is not None
        if (
            cle_fiche in RUBRIQUES_FORTES
            and (dans_les_fiches or self.section is None)
            and self.titre_libre is not None
        ):
            # A rubric under a heading that announced nothing: that heading is a fiche's title.
            self.fiche_du_titre(self.titre_libre)
            return self.rubrique(bloc, True)
        type_ = reconnaitre(texte, "chapitre", prefixe=True)
        if type_ and (bloc.sorte == TITRE or bloc.gras or texte.isupper() or len(texte) < 60):
            if self.section is not None and (
                type_ == self.section.type or niveau_de(bloc) > max(2, self.section_niveau)
            ):
                self.morceau(
                    texte,
                    bloc,
                    objet=self.section.id,
                    champ="contenu",
                    forme="titre",
                    niveau=niveau_de(bloc),
                )
                return True
            self.nouvelle_section(bloc, type_, texte)
            return True
        if bloc.sorte == TITRE:
            if dans_les_fiches and self.annonce_fiche(self.i):
                self.nouvelle_fiche(bloc, None, texte)
                return True
            if self.section is not None and bloc.niveau > self.section_niveau:
                self.morceau(
                    texte,
                    bloc,
                    objet=self.section.id,
                    champ="contenu",
                    forme="titre",
                    niveau=bloc.niveau,
                )
                return True
            if not dans_les_fiches and bloc.niveau <= 2:
                self.nouvelle_section(bloc, "autre", texte)
                return True
        self.titre_libre = bloc if bloc.sorte == TITRE or bloc.gras else None
        return False

    def hors_fiche(self, bloc, elements):
        """Content outside any fiche: an objectif's rubric, a chapter's text, sigles, or not
        placed."""
        liste = bloc.sorte == LISTE
        for n, element in enumerate(elements, 1):
            ou = f"élément {n}" if liste else ""
            forme = "puce" if element.puce else "paragraphe"
            if self.objectif is not None and self.champ_objectif and self.section is None:
                self.morceau(
                    element.texte,
                    bloc,
                    ou,
                    objet=self.objectif.id,
                    champ=self.champ_objectif,
                    forme=forme,
                    niveau=element.niveau,
                )
            elif self.zone == "sigles" and self.sigle_ligne(element.texte, bloc, ou):
                continue
            elif self.section is not None:
                self.morceau(
                    element.texte,
                    bloc,
                    ou,
                    objet=self.section.id,
                    champ="contenu",
                    forme=forme,
                    niveau=element.niveau,
                )
            else:
                self.morceau(element.texte, bloc, ou, forme=forme, niveau=element.niveau)
        if bloc.sorte == PARAGRAPHE and (bloc.gras or est_intitule(bloc)):
            self.titre_libre = bloc

    def sigle_ligne(self, texte, bloc, ou=""):
        trouve = re.match(r"^(?P<sigle>[^\s:].{0,29}?)\s*(?::|–|—|-|=|\t)\s*(?P<sens>\S.*)$", texte)
        if not trouve or len(trouve["sigle"].split()) > 3:
            return False
        self.p.sigles.append(
            p.Sigle(
                sigle=trouve["sigle"].strip(),
                signification=trouve["sens"].strip(),
                bloc=bloc.numero,
                position=bloc.position,
            )
        )
        self.morceau(texte, bloc, ou, champ=p.IGNORE, raison="sigle")
        return True

    # --- A fiche's contents -----------------------------------------------------------------------

    def contenu(self, champ, elements, bloc, ou="", objet=None, rubrique=""):
        """Put `elements` in rubric `champ` of the fiche; a sub-heading among them (« Moyens
        humains », « Indicateurs qualitatifs ») switches the rubric. Returns the rubric in force
        after them."""
        objet = objet or self.fiche.id
        imbrique = any(e.puce and e.niveau > 0 for e in elements)
        details_rubrique = self.details_de(rubrique) if rubrique else {}
        for n, element in enumerate(elements, 1):
            position = ", ".join(t for t in (ou, f"élément {n}" if len(elements) > 1 else "") if t)
            if not element.puce and len(element.texte) <= 80:
                cle, reste = separer_rubrique(element.texte)
                if cle is None:
                    cle = reconnaitre(element.texte, "fiche")
                if cle and cle != "titre" and self.sous_rubrique_possible(champ, cle):
                    champ = cle
                    details_rubrique = self.details_de(element.texte)
                    self.morceau(
                        element.texte
                        if not reste
                        else element.texte[: len(element.texte) - len(reste)].strip(),
                        bloc,
                        position,
                        objet=objet,
                        champ=p.IGNORE,
                        raison="rubrique",
                        rubrique=cle,
                    )
                    if not reste:
                        continue
                    element = Element(texte=reste)
            for cible, texte, details in self.affiner(champ, element, imbrique):
                self.morceau(
                    texte,
                    bloc,
                    position,
                    objet=objet,
                    champ=cible,
                    forme="puce" if element.puce else "paragraphe",
                    niveau=element.niveau,
                    **{**details_rubrique, **details},
                )
        return champ

    def sous_rubrique_possible(self, champ, cle):
        familles = [
            {
                "moyens",
                "moyens_humains",
                "moyens_materiels",
                "moyens_financiers",
                "moyens_materiels_financiers",
            },
            {"indicateurs"},
            {"objectifs", "objectifs_generaux", "objectifs_operationnels"},
            {"participation", "participation_actuelle", "participation_visee"},
        ]
        for famille in familles:
            if champ in famille and cle in famille:
                return True
        # A bare rubric alone on its line inside a cell: another rubric of the fiche.
        return cle in RUBRIQUES_FORTES or cle in {"referent", "attention_particuliere"}

    @staticmethod
    def details_de(texte):
        forme = normaliser(texte)
        if "qualitati" in forme:
            return {"nature": "qualitatif"}
        if "quantitati" in forme:
            return {"nature": "quantitatif"}
        return {}

    def affiner(self, champ, element, imbrique):
        """[(champ, texte, details)] for one element of rubric `champ`."""
        texte = element.texte
        if champ == "objectifs":
            if element.puce and not (imbrique and element.niveau == 0):
                return [("objectifs_operationnels", texte, {})]
            return [("objectifs_generaux", texte, {})]
        if champ in ("moyens", "moyens_materiels_financiers"):
            if MOTS_ARGENT.search(texte):
                return [("moyens_financiers", texte, {})]
            if champ == "moyens" and MOTS_HUMAINS.search(texte):
                return [("moyens_humains", texte, {})]
            return [("moyens_materiels", texte, {})]
        if champ == "public_vise" and "attention particuli" in sans_accents(texte).lower():
            return [("attention_particuliere", texte, {})]
        if champ == "participation":
            forme = normaliser(texte)
            if "vise" in forme or "attendu" in forme:
                return [("participation_visee", texte, {})]
            return [("participation_actuelle", texte, {})]
        if champ in ("participation_actuelle", "participation_visee"):
            niveau = niveau_participation(texte)
            if niveau and self.fiche is not None:
                setattr(self.fiche, champ, niveau)
            return [(champ, texte, {})]
        if champ == "partenaires":
            return [("partenaires", nom, {}) for nom in separer_noms(texte)]
        if champ == "titre":
            return [("contexte", texte, {})]
        return [(champ, texte, {})]

    # --- Tables ------------------------------------------------------------------------------------

    def tableau(self, bloc):
        if self.zone == "sommaire":
            self.zone = None
        self.attente = None
        if (self.zone == "sigles" or self.ressemble_sigles(bloc)) and self.tableau_sigles(bloc):
            return
        if self.tableau_arbre(bloc):
            return
        if self.objectifs_en_colonnes(bloc):
            return
        rubriques = self.rubriques_du_tableau(bloc)
        entetes = self.entetes_speciaux(bloc)
        suite = getattr(self, "tableau_precedent", None)
        premiere = [c for c in bloc.lignes[0] if c.elements] if bloc.lignes else []
        if (
            self.fiche is not None
            and suite
            and suite[0] == bloc.numero - 1
            and premiere
            and not any(self.rubrique_cellule(c)[0] for c in premiere)
        ):
            # The same table going on after a page break (a PDF cuts it in two).
            self.tableau_fiche(bloc, rubriques, colonnes=dict(suite[1]))
            return
        if len(rubriques) >= 2 or (self.fiche is not None and (rubriques or entetes)):
            self.tableau_fiche(bloc, rubriques)
            return
        if self.fiche is None and self.tableau_chiffres(bloc):
            return
        for r, ligne in enumerate(bloc.lignes, 1):
            texte = " | ".join(c.texte.replace("\n", " ") for c in ligne if c.elements)
            if not texte:
                continue
            ou = f"tableau ligne {r}"
            if self.fiche is not None and self.champ:
                self.morceau(texte, bloc, ou, objet=self.fiche.id, champ=self.champ, forme="ligne")
            elif self.section is not None:
                self.morceau(texte, bloc, ou, objet=self.section.id, champ="contenu", forme="ligne")
            else:
                self.morceau(texte, bloc, ou, forme="ligne")

    def rubrique_cellule(self, cellule):
        """(rubric, the cell's other elements) when the cell starts with a fiche rubric."""
        if not cellule.elements:
            return None, []
        premier = cellule.elements[0].texte
        if len(premier) > 90:
            return None, cellule.elements
        cle = reconnaitre(premier, "fiche")
        if cle:
            return cle, cellule.elements[1:]
        cle, reste = separer_rubrique(premier)
        if cle is None:
            cle, reste = prefixe_rubrique(premier)
        if cle:
            return cle, ([Element(texte=reste)] if reste else []) + cellule.elements[1:]
        return None, cellule.elements

    def rubriques_du_tableau(self, bloc):
        rubriques = set()
        for ligne in bloc.lignes:
            for cellule in ligne:
                cle, _ = self.rubrique_cellule(cellule)
                if cle:
                    rubriques.add(cle)
        return rubriques

    def entetes_speciaux(self, bloc):
        for r, ligne in enumerate(bloc.lignes[:4]):
            sortes = self.entete(ligne)
            if sortes:
                return r, sortes
        return None

    @staticmethod
    def entete(ligne):
        """{colonne: kind} when the row heads the columns of an évaluation, échéancier or
        participation table (« Objet | Indicateur | Outils »)."""
        cellules = [c for c in ligne if c.elements]
        if len(cellules) < 2:
            return None
        sortes = {}
        for cellule in cellules:
            if len(cellule.elements) > 1:
                return None
            sorte = reconnaitre(cellule.elements[0].texte, "colonne")
            if sorte is None:
                return None
            sortes[cellule.colonne] = sorte
        if len(set(sortes.values())) < 2:
            return None
        return sortes

    def tableau_fiche(self, bloc, rubriques, colonnes=None):
        lignes = bloc.lignes
        if colonnes is None and self.doit_ouvrir_fiche(bloc, rubriques):
            self.ouvrir_fiche_du_tableau(bloc)
        suite = colonnes is not None
        colonnes = colonnes if colonnes is not None else {}
        if suite and lignes:
            self.recoller(lignes[0], colonnes)
        speciales = None
        for r, ligne in enumerate(lignes, 1):
            cellules = [c for c in ligne if c.elements]
            if not cellules:
                continue
            ou = f"tableau ligne {r}"
            entete = self.entete(ligne)
            if entete:
                speciales = entete
                for cellule in cellules:
                    self.morceau(
                        cellule.texte,
                        bloc,
                        f"{ou}, colonne {cellule.colonne + 1}",
                        objet=self.fiche.id,
                        champ=p.IGNORE,
                        raison="rubrique",
                    )
                continue
            analyses = [(c, *self.rubrique_cellule(c)) for c in cellules]
            if any(cle for _, cle, _ in analyses):
                speciales = None
            if speciales and not any(cle for _, cle, _ in analyses):
                self.ligne_speciale(bloc, ou, cellules, speciales)
                continue
            if self.etiquettes_cellules(bloc, ou, cellules):
                continue
            de_la_rangee = None
            for cellule, cle, reste in analyses:
                ou_cellule = f"{ou}, colonne {cellule.colonne + 1}"
                if cle == "titre":
                    texte = " ".join(e.texte for e in reste)
                    if texte and not self.fiche.titre:
                        self.fiche.titre = texte
                    self.morceau(
                        cellule.texte,
                        bloc,
                        ou_cellule,
                        objet=self.fiche.id,
                        champ="titre",
                        forme="titre",
                    )
                    de_la_rangee = "titre" if not texte else None
                    continue
                if cle:
                    for k in range(cellule.colonne, cellule.colonne + cellule.largeur):
                        colonnes[k] = cle
                    self.morceau(
                        cellule.elements[0].texte,
                        bloc,
                        ou_cellule,
                        objet=self.fiche.id,
                        champ=p.IGNORE,
                        raison="rubrique",
                        rubrique=cle,
                    )
                    if reste and not (
                        len(reste) == 1 and reste[0].texte == cellule.elements[0].texte
                    ):
                        cle = self.contenu(
                            cle,
                            [e for e in reste if e.texte],
                            bloc,
                            ou_cellule,
                            rubrique=cellule.elements[0].texte,
                        )
                        for k in range(cellule.colonne, cellule.colonne + cellule.largeur):
                            colonnes[k] = cle
                    elif cellule is cellules[0] and len(cellules) > 1:
                        de_la_rangee = cle
                    continue
                if de_la_rangee == "titre":
                    self.titre_de_cellule(cellule, bloc, ou_cellule)
                    continue
                cible = de_la_rangee or self.colonne(colonnes, cellule)
                if cible is None and r == 1 and not self.fiche.titre and len(cellule.texte) <= 255:
                    self.titre_de_cellule(cellule, bloc, ou_cellule)
                    continue
                if cible is None:
                    for n, element in enumerate(cellule.elements, 1):
                        self.morceau(
                            element.texte,
                            bloc,
                            f"{ou_cellule}, élément {n}",
                            forme="puce" if element.puce else "paragraphe",
                        )
                    continue
                nouvelle = self.contenu(cible, cellule.elements, bloc, ou_cellule)
                if nouvelle != cible:
                    for k in range(cellule.colonne, cellule.colonne + cellule.largeur):
                        colonnes[k] = nouvelle
        self.champ = None
        self.apres_tableau = True
        self.tableau_precedent = (bloc.numero, colonnes)

    def recoller(self, ligne, colonnes):
        """A paragraph cut by the page break goes on in the first row of the table's next part:
        its words join the piece they continue."""
        for cellule in ligne:
            if not cellule.elements or cellule.elements[0].puce:
                continue
            champ = self.colonne(colonnes, cellule)
            debut = cellule.elements[0].texte
            precedents = [m for m in self.p.morceaux if m.objet == self.fiche.id and m.place]
            precedent = next(
                (
                    m
                    for m in reversed(precedents)
                    if m.details.get("colonne") == cellule.colonne or m.champ == champ
                ),
                None,
            )
            if precedent and not re.search(r"[.!?:;»)]$", precedent.texte):
                precedent.texte += " " + debut
                cellule.elements = cellule.elements[1:]

    def titre_de_cellule(self, cellule, bloc, ou):
        """The cell is the fiche's title: kept as its title (unless it has one) and as a piece
        placed there."""
        if not self.fiche.titre:
            self.fiche.titre = cellule.texte
        self.morceau(cellule.texte, bloc, ou, objet=self.fiche.id, champ="titre", forme="titre")

    @staticmethod
    def colonne(colonnes, cellule):
        for k in range(cellule.colonne, cellule.colonne + cellule.largeur):
            if k in colonnes:
                return colonnes[k]
        # The rubric of the nearest column on the left (a row laid out on another grid).
        gauche = [k for k in colonnes if k < cellule.colonne]
        return colonnes[max(gauche)] if gauche else None

    def etiquettes_cellules(self, bloc, ou, cellules):
        """A row of tags (« ☒ Projet ACF | ☐ Projet Jeunesse »)."""
        trouvees = []
        for cellule in cellules:
            texte = cellule.texte
            nu = re.sub(r"[☒☑✓✔✗✘■⊠☐□❑▢\[\]()]", " ", texte)
            nu = re.sub(r"\s*[:\-]\s*(oui|non)\s*$", "", nu, flags=re.IGNORECASE).strip()
            cle = reconnaitre(nu, "etiquette")
            if not cle:
                return False
            trouvees.append((cellule, cle))
        for cellule, cle in trouvees:
            self.poser_etiquette(cle, cellule.texte)
            self.morceau(
                cellule.texte, bloc, ou, objet=self.fiche.id, champ=p.IGNORE, raison="etiquette"
            )
        return True

    def ligne_speciale(self, bloc, ou, cellules, sortes):
        par_sorte = {}
        for cellule in cellules:
            sorte = sortes.get(cellule.colonne)
            if sorte is None:
                proches = [k for k in sortes if k <= cellule.colonne]
                sorte = sortes[max(proches)] if proches else None
            if sorte:
                par_sorte.setdefault(sorte, []).append(cellule)
        texte = lambda sorte: "\n".join(c.texte for c in par_sorte.get(sorte, []))  # noqa: E731
        if "indicateur" in par_sorte or "outil" in par_sorte:
            libelle = texte("indicateur") or texte("objet")
            if libelle:
                self.morceau(
                    libelle,
                    bloc,
                    ou,
                    objet=self.fiche.id,
                    champ="indicateurs",
                    forme="ligne",
                    objet_evalue=texte("objet") if "indicateur" in par_sorte else "",
                    outil=texte("outil"),
                )
            return
        if "etape" in par_sorte or "periode" in par_sorte:
            etape, periode = texte("etape"), texte("periode")
            if (
                etape
                and len(etape) <= p.LONGUEURS[("fiche", "echeancier")]
                and len(periode) <= p.LONGUEUR_PERIODE
            ):
                self.morceau(
                    etape,
                    bloc,
                    ou,
                    objet=self.fiche.id,
                    champ="echeancier",
                    forme="ligne",
                    periode=periode,
                )
                return
            if etape:  # a long step is the action's description; its time goes to the échéancier
                self.morceau(etape, bloc, ou, objet=self.fiche.id, champ="presentation")
            if periode:
                self.morceau(periode, bloc, ou, objet=self.fiche.id, champ="echeancier")
            return
        for sorte in ("participation_actuelle", "participation_visee"):
            if sorte in par_sorte:
                self.contenu(sorte, [Element(texte=texte(sorte))], bloc, ou)

    def doit_ouvrir_fiche(self, bloc, rubriques):
        if self.fiche is None:
            return True
        # The fiche already has content in this table's rubrics: the table is the next fiche.
        deja = {
            m.champ
            for m in self.p.morceaux
            if m.objet == self.fiche.id and m.place and m.champ != "titre"
        }
        communes = {c for c in rubriques if c in RUBRIQUES_FORTES} & {
            {"objectifs": "objectifs_generaux", "moyens": "moyens_humains"}.get(c, c) for c in deja
        }
        return len(communes) >= 2

    def ouvrir_fiche_du_tableau(self, bloc):
        """A table that is a fiche by itself: its title is in its first rows, or the heading
        just before it."""
        for ligne in bloc.lignes[:3]:
            for cellule in ligne:
                if not cellule.elements:
                    continue
                texte = cellule.elements[0].texte
                trouve = FICHE_EXPLICITE.match(texte)
                if trouve:
                    self.nouvelle_fiche(
                        bloc, int(trouve["num"]), trouve["titre"].strip(" :–-") or "", texte=texte
                    )
                    cellule.elements = (
                        cellule.elements[1:] if trouve["titre"].strip() else cellule.elements[1:]
                    )
                    return
        if self.titre_libre is not None:
            self.fiche_du_titre(self.titre_libre)
            return
        self.nouvelle_fiche(bloc, None, "", morceau_titre=False)
        self.attente = None

    def ressemble_sigles(self, bloc):
        paires = total = 0
        for ligne in bloc.lignes:
            cellules = [c for c in ligne if c.elements]
            for a, _ in zip(cellules[::2], cellules[1::2], strict=False):
                total += 1
                sigle = a.texte.strip()
                if len(sigle) <= 15 and sum(ch.isupper() for ch in sigle) >= max(
                    2, len(sigle.replace(" ", "")) * 0.6
                ):
                    paires += 1
        return total >= 4 and paires >= total * 0.7

    def tableau_sigles(self, bloc):
        trouves = 0
        for r, ligne in enumerate(bloc.lignes, 1):
            cellules = [c for c in ligne if c.elements]
            for a, b in zip(cellules[::2], cellules[1::2], strict=False):
                sigle, sens = a.texte.strip(), b.texte.strip()
                if normaliser(sigle) in ("sigle", "sigles", "abreviation"):
                    continue
                self.p.sigles.append(
                    p.Sigle(
                        sigle=sigle,
                        signification=sens,
                        bloc=bloc.numero,
                        position=f"{bloc.position}, tableau ligne {r}",
                    )
                )
                trouves += 1
            self.morceau(
                " | ".join(c.texte for c in cellules),
                bloc,
                f"tableau ligne {r}",
                champ=p.IGNORE,
                raison="sigle",
                forme="ligne",
            )
        return trouves > 0

    def tableau_arbre(self, bloc):
        """The arbre d'objectifs: rows of enjeux, objectifs and numbered fiches with their
        code (E, NA, AE) and years."""
        fiches = enjeux = 0
        for ligne in bloc.lignes:
            cellules = [c for c in ligne if c.elements]
            if not cellules:
                continue
            if ENJEU.match(cellules[0].texte):
                enjeux += 1
            if FICHE_NUMEROTEE.match(cellules[0].texte) and any(
                normaliser(c.texte) in CODE_PLAN for c in cellules[1:]
            ):
                fiches += 1
        if fiches < 1 or (fiches + enjeux) < 2:
            return False
        annees = {}
        for r, ligne in enumerate(bloc.lignes, 1):
            cellules = [c for c in ligne if c.elements]
            if not cellules:
                continue
            ou = f"tableau ligne {r}"
            if all(ANNEE.match(c.texte.strip()) or c.texte.strip() in ("*", "") for c in cellules):
                annees = {c.colonne: int(c.texte) for c in cellules if ANNEE.match(c.texte.strip())}
                self.morceau(
                    " | ".join(c.texte for c in cellules),
                    bloc,
                    ou,
                    champ=p.IGNORE,
                    raison="arbre",
                    forme="ligne",
                )
                continue
            premier = cellules[0].texte
            trouve_enjeu = ENJEU.match(premier)
            trouve_fiche = FICHE_NUMEROTEE.match(premier)
            if trouve_enjeu:
                self.nouvel_enjeu(
                    bloc, int(trouve_enjeu["num"]), trouve_enjeu["titre"].strip(), premier, ou
                )
            elif trouve_fiche:
                code = next(
                    (
                        CODE_PLAN[normaliser(c.texte)]
                        for c in cellules[1:]
                        if normaliser(c.texte) in CODE_PLAN
                    ),
                    "",
                )
                coches = sorted(
                    annees[c.colonne]
                    for c in cellules[1:]
                    if c.colonne in annees and c.texte.strip()
                )
                self.arbre.append(
                    {
                        "axe": self.axe.id if self.axe else "",
                        "numero": int(trouve_fiche["num"]),
                        "titre": trouve_fiche["titre"].strip(),
                        "code": code,
                        "annees": coches,
                        "objectif": self.objectif.id if self.objectif else "",
                    }
                )
                self.morceau(premier, bloc, ou, champ=p.IGNORE, raison="arbre")
            elif AXE.match(premier) and len(premier) < 200:
                self.structure(
                    type(bloc)(bloc.numero, TITRE, texte=premier, niveau=2, page=bloc.page)
                )
            elif len(cellules) == 1 or all(
                not c.texte.strip() or ANNEE.match(c.texte) for c in cellules[1:]
            ):
                if premier.startswith("*") or re.match(r"^\W", premier):
                    self.morceau(premier, bloc, ou, champ=p.IGNORE, raison="arbre")
                    continue
                objectif = self.nouvel_objectif(bloc, premier, ou)
                self.morceau(premier, bloc, ou, objet=objectif.id, champ="titre", forme="titre")
            else:
                self.morceau(" | ".join(c.texte for c in cellules), bloc, ou, forme="ligne")
        return True

    def objectifs_en_colonnes(self, bloc):
        """Objectifs laid out in columns: a first row of « Objectif général » cells, then rows of
        « Objectifs opérationnels », « Indicateurs », « Exemple » cells."""
        if self.fiche is not None or not bloc.lignes:
            return False
        premiere = [c for c in bloc.lignes[0] if c.elements]
        precedent = getattr(self, "objectifs_precedents", None)
        depart = 1
        if (
            precedent
            and precedent[0] == bloc.numero - 1
            and all(
                RUBRIQUES_OBJECTIF.get(self.rubrique_cellule(c)[0])
                or reconnaitre(c.elements[0].texte, "objectif")
                for c in premiere
            )
        ):
            # The same table going on after a page break.
            par_colonne, depart = precedent[1], 0
        elif not premiere or not all(
            self.rubrique_cellule(c)[0] in ("objectifs_generaux",) and self.rubrique_cellule(c)[1]
            for c in premiere
        ):
            return False
        else:
            par_colonne = {}
            for cellule in premiere:
                _, reste = self.rubrique_cellule(cellule)
                titre = " ".join(e.texte for e in reste)
                objectif = self.nouvel_objectif(bloc, titre)
                par_colonne[cellule.colonne] = objectif
                self.morceau(
                    cellule.texte,
                    bloc,
                    f"tableau ligne 1, colonne {cellule.colonne + 1}",
                    objet=objectif.id,
                    champ="titre",
                    forme="titre",
                )
        self.objectifs_precedents = (bloc.numero, par_colonne)
        for r, ligne in enumerate(bloc.lignes[depart:], depart + 1):
            for cellule in ligne:
                if not cellule.elements:
                    continue
                ou = f"tableau ligne {r}, colonne {cellule.colonne + 1}"
                objectif = par_colonne.get(cellule.colonne)
                premier = cellule.elements[0].texte
                cle = RUBRIQUES_OBJECTIF.get(reconnaitre(premier, "fiche"))
                if reconnaitre(premier, "objectif"):
                    cle = "exemples"
                elements = cellule.elements[1:] if cle else cellule.elements
                if objectif is None or cle is None:
                    for element in cellule.elements:
                        self.morceau(element.texte, bloc, ou)
                    continue
                self.morceau(
                    premier, bloc, ou, objet=objectif.id, champ=p.IGNORE, raison="rubrique"
                )
                for n, element in enumerate(elements, 1):
                    self.morceau(
                        element.texte,
                        bloc,
                        f"{ou}, élément {n}",
                        objet=objectif.id,
                        champ=cle,
                        forme="puce" if element.puce else "paragraphe",
                        niveau=element.niveau,
                    )
        self.objectif = None
        return True

    def tableau_chiffres(self, bloc):
        """Chiffres clés: rows of a label and numbers (the first row may name the columns)."""
        lignes = [[c for c in ligne if c.elements] for ligne in bloc.lignes]
        lignes = [ligne for ligne in lignes if ligne]
        chiffrees = [
            ligne
            for ligne in lignes
            if len(ligne) >= 2 and any(est_nombre(c.texte) for c in ligne[1:])
        ]
        if len(chiffrees) < 2 or len(chiffrees) < 0.6 * (len(lignes) - 1):
            return False
        entetes = {}
        if lignes[0] not in chiffrees:
            entetes = {c.colonne: c.texte for c in lignes[0]}
        for r, ligne in enumerate(bloc.lignes, 1):
            cellules = [c for c in ligne if c.elements]
            ou = f"tableau ligne {r}"
            if cellules not in chiffrees:
                if cellules:
                    self.morceau(
                        " | ".join(c.texte for c in cellules),
                        bloc,
                        ou,
                        champ=p.IGNORE,
                        raison="chiffres",
                        forme="ligne",
                    )
                continue
            nombres = [c for c in cellules[1:] if est_nombre(c.texte)]
            premier = nombres[0]
            unite = "%" if "%" in premier.texte else ("€" if "€" in premier.texte else "")
            self.p.chiffres.append(
                p.Chiffre(
                    libelle=cellules[0].texte,
                    valeur=re.sub(r"[%€]", "", premier.texte).strip(),
                    unite=unite,
                    comparaisons={
                        entetes.get(c.colonne, f"Colonne {c.colonne + 1}"): re.sub(
                            r"[%€]", "", c.texte
                        ).strip()
                        for c in nombres[1:]
                    },
                    bloc=bloc.numero,
                    position=f"{bloc.position}, {ou}",
                )
            )
            self.morceau(
                " | ".join(c.texte for c in cellules),
                bloc,
                ou,
                champ=p.IGNORE,
                raison="chiffres",
                forme="ligne",
            )
        return True

    # --- After the last block -------------------------------------------------------------------

    def finir(self, annuaire):
        self.p.titre, self.p.annee_debut, self.p.annee_fin = self.periode()
        self.relier_arbre()
        self.etiquettes_nues()
        self.axe_des_fiches_orphelines()
        self.reperer_partenaires(annuaire)
        self.p.sections = [
            s
            for s in self.p.sections
            if any(m.place and m.champ != "titre" for m in self.p.morceaux_de(s.id))
        ]
        return self.p

    def periode(self):
        candidats = []
        annees_seules = []
        for bloc in self.blocs[:120]:
            texte = bloc.contenu
            for debut, fin in PERIODE.findall(texte):
                debut, fin = int(debut), int(fin)
                if 1 <= fin - debut <= 5:
                    candidats.append((debut, fin))
            if ANNEE.match(texte.strip()):
                annees_seules.append(int(texte.strip()))
            elif texte.strip():
                if len(annees_seules) == 2 and 1 <= annees_seules[1] - annees_seules[0] <= 5:
                    candidats.insert(0, tuple(annees_seules))
                annees_seules = []
        titre = self.titre_du_document()
        if not candidats:
            return titre or "Projet social", None, None
        debut, fin = (
            max(candidats, key=candidats.count)
            if len(set(candidats)) > 1 and candidats.count(candidats[0]) == 1
            else candidats[0]
        )
        return titre or f"Projet social {debut}–{fin}", debut, fin

    def titre_du_document(self):
        """The document's own title, as written: its first heading (or short first paragraph)
        naming the projet social; "" when it has none (the review page then proposes one)."""
        for bloc in self.blocs[:15]:
            texte = " ".join(bloc.texte.split()) if bloc.sorte in (TITRE, PARAGRAPHE) else ""
            if texte and len(texte) <= 200 and re.search(r"projet\s+social", texte, re.I):
                return texte
        return ""

    def relier_arbre(self):
        for fiche in self.p.fiches:
            entree = None
            for ligne in self.arbre:
                if ligne["axe"] == fiche.axe and ligne["numero"] == fiche.numero:
                    entree = ligne
                    break
            if entree is None:
                cle = normaliser(fiche.titre, numerotation=False)
                entree = next(
                    (
                        ligne
                        for ligne in self.arbre
                        if normaliser(ligne["titre"], numerotation=False) == cle
                    ),
                    None,
                )
            if entree is None:
                continue
            fiche.statut_plan = fiche.statut_plan or entree["code"]
            fiche.annees = fiche.annees or entree["annees"]
            if entree["objectif"] and entree["objectif"] not in fiche.objectifs:
                fiche.objectifs.append(entree["objectif"])

    def etiquettes_nues(self):
        for fiche in self.p.fiches:
            nues = fiche.__dict__.pop("_nues", [])
            if len(set(nues)) == 1:
                setattr(fiche, nues[0], True)

    def axe_des_fiches_orphelines(self):
        orphelines = [f for f in self.p.fiches if not f.axe]
        if not orphelines:
            return
        axe = next((a for a in self.p.axes if a.a_nommer), None)
        if axe is None:
            axe = p.Axe(
                id=self.p.nouvel_id("a"),
                titre="Fiches sans axe",
                bloc=orphelines[0].bloc,
                a_nommer=True,
            )
            self.p.axes.append(axe)
        for fiche in orphelines:
            fiche.axe = axe.id
        self.p.remarques.append(
            p.Probleme(
                message=f"{len(orphelines)} fiche(s) ne sont rattachées à aucun axe dans le document : "
                f"elles sont placées dans l'axe « {axe.titre} », à renommer ou à changer.",
                objet=axe.id,
                bloquant=False,
            )
        )

    def reperer_partenaires(self, annuaire):
        connus = {}
        for pk, nom, sigle in annuaire:
            connus.setdefault(cle_partenaire(nom), (pk, nom))
            if sigle:
                connus.setdefault(cle_partenaire(sigle), (pk, nom))
        vus = {}
        for morceau in self.p.morceaux:
            if morceau.champ != "partenaires":
                continue
            cle = cle_partenaire(morceau.texte)
            if cle in vus:
                continue
            existant = connus.get(cle)
            if existant is None:
                sans_parentheses = re.sub(r"\s*\([^)]*\)", "", morceau.texte)
                dedans = re.findall(r"\(([^)]*)\)", morceau.texte)
                for essai in [sans_parentheses, *dedans]:
                    existant = connus.get(cle_partenaire(essai))
                    if existant:
                        break
            vus[cle] = p.Partenaire(
                cle=cle,
                nom=morceau.texte,
                existant=existant[0] if existant else None,
                existant_nom=existant[1] if existant else "",
            )
        self.p.partenaires = list(vus.values())


def separer_noms(texte):
    """« OPH18, Ville de Vierzon, France Loire » → three names; a sentence stays whole. Commas
    inside parentheses do not separate."""
    parties, profondeur, courant = [], 0, ""
    for caractere in texte:
        if caractere == "(":
            profondeur += 1
        elif caractere == ")":
            profondeur = max(0, profondeur - 1)
        if caractere in ",;" and profondeur == 0:
            parties.append(courant)
            courant = ""
        else:
            courant += caractere
    parties.append(courant)
    parties = [t.strip(" .") for t in parties if t.strip(" .")]
    if len(parties) > 1 and all(len(t) <= 80 and len(t.split()) <= 10 for t in parties):
        return parties
    return [texte.strip()]
