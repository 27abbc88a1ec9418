"""The writer: a reviewed Proposition → a *brouillon* projet social, in one transaction.

`valeurs_fiche(proposition, fiche)` says what each field of a fiche will hold (the review page
shows it as « where it will go »); `verifier(proposition)` lists what prevents the creation (a
text too long for its field — never cut —, a fiche without a title, no période) and what
deserves a look; `creer_projet(...)` writes everything, or nothing when `verifier` finds a
blocking problem.

Texts go into the fields as the document has them: paragraphs joined by a blank line, list
items as Markdown list lines (« - item », indented by level), sub-headings as « ### »; numbers
(quantités, montants, chiffres clés) are read by `centresocial.lib.nombres.lire_nombre`, only
when the text is exactly a number: the text itself always stays in its field.
"""

import re
from dataclasses import dataclass, field

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.db import transaction

from actions.models import (
    AnneeAction,
    EtapeEcheancier,
    FicheAction,
    FicheObjectif,
    Indicateur,
    Moyen,
    ObjectifOperationnel,
    PartenariatAction,
)
from centresocial.lib.nombres import NombreIllisible, lire_nombre
from partenaires.models import Partenaire
from projets.models import (
    DUREE_MAX_PROJET,
    Axe,
    ChiffreCle,
    ColonneChiffres,
    Enjeu,
    ObjectifGeneral,
    ProjetSocial,
    SectionProjet,
    Sigle,
    Territoire,
    ValeurComparee,
)

from . import proposition as p
from .erreurs import ImportImpossible
from .synonymes import normaliser

PERIODE_EN_TETE = re.compile(
    r"^(?P<periode>[^:]{1,60}?)\s*:\s*(?P<libelle>\S.*)$",
    re.DOTALL,
)
MOT_DE_TEMPS = re.compile(
    r"(\b(19|20)\d\d\b|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|"
    r"novembre|d[ée]cembre|rentr[ée]e|trimestre|semestre|[ée]t[ée]|automne|hiver|printemps|"
    r"vacances|ann[ée]e|mois|semaine|d[èe]s|à partir)",
    re.IGNORECASE,
)
QUANTITE = re.compile(r"^(?P<nombre>\d+(?:[,.]\d+)?)\s+(?=[^\d\s])")
MONTANT = re.compile(
    r"(?P<nombre>\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[,.]\d{1,2})?|\d+(?:[,.]\d{1,2})?)\s*(?:€|euros?\b)"
)


class ProjetNonCree(ImportImpossible):
    """`creer_projet` refused: blocking problems remain (`problemes`)."""

    def __init__(self, problemes):
        self.problemes = problemes
        super().__init__(
            "Rien n'a été créé : "
            + " ; ".join(pb.message for pb in problemes[:5])
            + (" ; …" if len(problemes) > 5 else "")
        )


# --- What each field will hold ---------------------------------------------------------------


def texte_de(morceaux):
    """The pieces of one text field as Markdown: paragraphs apart, list items on their lines."""
    lignes = []
    precedent = None
    for morceau in morceaux:
        if morceau.forme == "puce":
            if precedent not in (None, "puce"):
                lignes.append("")
            lignes.append("  " * morceau.niveau + "- " + morceau.texte)
        elif morceau.forme == "titre":
            if lignes:
                lignes.append("")
            lignes.append("### " + morceau.texte.replace("\n", " "))
        elif morceau.forme == "ligne" and precedent == "ligne":
            lignes.append(morceau.texte)
        else:
            if lignes:
                lignes.append("")
            lignes.append(morceau.texte)
        precedent = morceau.forme
    return "\n".join(lignes).strip("\n")


@dataclass
class Etape:
    libelle: str
    periode: str = ""


@dataclass
class ValeurMoyen:
    type: str
    libelle: str
    quantite: object = None
    montant: object = None


@dataclass
class ValeurIndicateur:
    libelle: str
    objet: str = ""
    outil: str = ""
    nature: str = Indicateur.Nature.QUANTITATIF


@dataclass
class ValeursFiche:
    titre: str
    textes: dict = field(default_factory=dict)  # FicheAction field → text
    objectifs_generaux: list = field(default_factory=list)
    objectifs_operationnels: list = field(default_factory=list)
    etapes: list = field(default_factory=list)
    moyens: list = field(default_factory=list)
    partenaires: list = field(default_factory=list)
    indicateurs: list = field(default_factory=list)
    referent: str = ""


def etape_de(morceau):
    """An étape: its period from the échéancier column, or « 2021 : équipement » read as
    période « 2021 » and étape « équipement »; otherwise the whole text is the étape."""
    periode = morceau.details.get("periode", "")
    if periode:
        return Etape(libelle=morceau.texte, periode=periode)
    trouve = PERIODE_EN_TETE.match(morceau.texte)
    if trouve and MOT_DE_TEMPS.search(trouve["periode"]) and len(trouve["periode"]) <= 60:
        return Etape(libelle=trouve["libelle"].strip(), periode=trouve["periode"].strip())
    return Etape(libelle=morceau.texte)


def nombre_ou_rien(texte):
    try:
        return lire_nombre(texte)
    except NombreIllisible:
        return None


def moyen_de(morceau):
    type_ = {
        "moyens_humains": Moyen.Type.HUMAIN,
        "moyens_materiels": Moyen.Type.MATERIEL,
        "moyens_financiers": Moyen.Type.FINANCIER,
    }[morceau.champ]
    quantite = montant = None
    if type_ == Moyen.Type.HUMAIN and (trouve := QUANTITE.match(morceau.texte)):
        quantite = nombre_ou_rien(trouve["nombre"])
    montants = MONTANT.findall(morceau.texte)
    if len(montants) == 1:
        montant = nombre_ou_rien(montants[0])
    return ValeurMoyen(type=type_, libelle=morceau.texte, quantite=quantite, montant=montant)


def indicateur_de(morceau):
    nature = morceau.details.get("nature") or Indicateur.Nature.QUANTITATIF
    return ValeurIndicateur(
        libelle=morceau.texte,
        objet=morceau.details.get("objet_evalue", ""),
        outil=morceau.details.get("outil", ""),
        nature=nature,
    )


def valeurs_fiche(proposition, fiche):
    """What the fiche's fields will hold once created."""
    valeurs = ValeursFiche(titre=fiche.titre)
    par_champ = {}
    for morceau in proposition.morceaux:
        if morceau.objet == fiche.id and morceau.place:
            par_champ.setdefault(morceau.champ, []).append(morceau)
    for champ in p.CHAMPS_TEXTE:
        valeurs.textes[champ] = texte_de(par_champ.get(champ, []))
    valeurs.objectifs_generaux = [m.texte for m in par_champ.get("objectifs_generaux", [])]
    valeurs.objectifs_operationnels = [
        m.texte for m in par_champ.get("objectifs_operationnels", [])
    ]
    valeurs.etapes = [etape_de(m) for m in par_champ.get("echeancier", [])]
    for champ in ("moyens_humains", "moyens_materiels", "moyens_financiers"):
        valeurs.moyens += [moyen_de(m) for m in par_champ.get(champ, [])]
    valeurs.partenaires = [m.texte for m in par_champ.get("partenaires", [])]
    valeurs.indicateurs = [indicateur_de(m) for m in par_champ.get("indicateurs", [])]
    valeurs.referent = " ".join(m.texte for m in par_champ.get("referent", []))
    return valeurs


def apercu(proposition):
    """{fiche id: ValeursFiche}: every fiche as it will be written."""
    return {fiche.id: valeurs_fiche(proposition, fiche) for fiche in proposition.fiches}


# --- What prevents the creation ---------------------------------------------------------------


def trop_long(texte, limite):
    return len(texte) > limite


def verifier(proposition):
    """Blocking problems first, then warnings, as Probleme rows (the detector's remarks apart)."""
    problemes = []
    debut, fin = proposition.annee_debut, proposition.annee_fin
    if not debut or not fin:
        problemes.append(p.Probleme("Indiquez la période du projet (années de début et de fin)."))
    elif not (0 <= fin - debut < DUREE_MAX_PROJET) or not 1990 <= debut <= 2100:
        problemes.append(
            p.Probleme(
                f"La période {debut}–{fin} n'est pas possible : un projet couvre 1 à {DUREE_MAX_PROJET} années."
            )
        )
    if trop_long(proposition.titre or "", 200) or not (proposition.titre or "").strip():
        problemes.append(p.Probleme("Le titre du projet doit compter de 1 à 200 caractères."))
    limites = p.LONGUEURS
    for axe in proposition.axes:
        if not axe.titre.strip() or trop_long(axe.titre, limites[("axe", "titre")]):
            problemes.append(
                p.Probleme(
                    f"L'axe « {axe.titre[:60]} » doit avoir un titre de 1 à 200 caractères.",
                    objet=axe.id,
                )
            )
        if axe.a_nommer:
            problemes.append(
                p.Probleme(
                    f"Renommez l'axe « {axe.titre} » : le document n'en nomme pas.",
                    objet=axe.id,
                    bloquant=False,
                )
            )
    for sorte, objets in (("enjeu", proposition.enjeux), ("objectif", proposition.objectifs)):
        for objet in objets:
            if trop_long(objet.titre, limites[(sorte, "titre")]):
                problemes.append(
                    p.Probleme(
                        f"Le titre de « {objet.titre[:60]}… » dépasse {limites[(sorte, 'titre')]} caractères : raccourcissez-le.",
                        objet=objet.id,
                    )
                )
    for section in proposition.sections:
        if trop_long(section.titre, limites[("section", "titre")]):
            problemes.append(
                p.Probleme(
                    f"Le titre du chapitre « {section.titre[:60]}… » dépasse 200 caractères.",
                    objet=section.id,
                )
            )
    axes = {axe.id for axe in proposition.axes}
    for fiche in proposition.fiches:
        nom = fiche.titre[:60] or fiche.id
        if not fiche.titre.strip():
            problemes.append(
                p.Probleme(
                    f"Une fiche n'a pas de titre (après « {premier_texte(proposition, fiche)} ») : donnez-lui en un.",
                    objet=fiche.id,
                )
            )
        elif trop_long(fiche.titre, limites[("fiche", "titre")]):
            problemes.append(
                p.Probleme(
                    f"Le titre de la fiche « {nom}… » dépasse 255 caractères.", objet=fiche.id
                )
            )
        if fiche.axe not in axes:
            problemes.append(p.Probleme(f"Choisissez l'axe de la fiche « {nom} ».", objet=fiche.id))
        for morceau in proposition.morceaux:
            if morceau.objet != fiche.id or not morceau.place:
                continue
            limite = limites.get(("fiche", morceau.champ))
            if limite and morceau.champ == "echeancier":
                etape = etape_de(morceau)
                long_ = trop_long(etape.libelle, limite) or trop_long(
                    etape.periode, p.LONGUEUR_PERIODE
                )
            else:
                long_ = limite and trop_long(morceau.texte, limite)
            if long_:
                problemes.append(
                    p.Probleme(
                        f"Fiche « {nom} » : « {morceau.texte[:50]}… » ({len(morceau.texte)} caractères) est trop long pour "
                        f"« {p.CHAMPS_FICHE[morceau.champ]} » ({limite} au plus) : placez-le dans un champ de texte "
                        "(contexte, présentation…) ou raccourcissez-le dans le document.",
                        objet=fiche.id,
                        morceau=morceau.id,
                    )
                )
            for cle, limite_detail in p.LONGUEURS_DETAILS.items():
                if trop_long(
                    morceau.details.get(cle, "") or morceau.details.get(f"{cle}_evalue", ""),
                    limite_detail,
                ):
                    problemes.append(
                        p.Probleme(
                            f"Fiche « {nom} » : un {cle} d'indicateur dépasse {limite_detail} caractères.",
                            objet=fiche.id,
                            morceau=morceau.id,
                        )
                    )
            if (
                morceau.champ in ("participation_actuelle", "participation_visee")
                and getattr(fiche, morceau.champ) is None
            ):
                problemes.append(
                    p.Probleme(
                        f"Fiche « {nom} » : le niveau de participation « {morceau.texte[:40]} » n'a pas été reconnu ; choisissez-le.",
                        objet=fiche.id,
                        morceau=morceau.id,
                        bloquant=False,
                    )
                )
    vus = set()
    for sigle in proposition.sigles:
        if trop_long(sigle.sigle, 30) or trop_long(sigle.signification, 255):
            problemes.append(
                p.Probleme(
                    f"Le sigle « {sigle.sigle[:30]} » ou sa signification est trop long (30 et 255 caractères au plus)."
                )
            )
        if sigle.sigle.lower() in vus:
            problemes.append(
                p.Probleme(
                    f"Le sigle « {sigle.sigle} » est défini deux fois : seule la première définition sera gardée.",
                    bloquant=False,
                )
            )
        vus.add(sigle.sigle.lower())
    for chiffre in proposition.chiffres:
        for valeur in [chiffre.valeur, *chiffre.comparaisons.values()]:
            nombre = nombre_ou_rien(valeur)
            if valeur and (
                nombre is None or nombre.as_tuple().exponent < -2 or abs(nombre) >= 10**12
            ):
                problemes.append(
                    p.Probleme(
                        f"Chiffre clé « {chiffre.libelle[:60]} » : « {valeur} » n'est pas un nombre à 2 décimales au plus ; corrigez-le après l'import.",
                        bloquant=False,
                    )
                )
        if any(trop_long(intitule, 120) for intitule in chiffre.comparaisons):
            problemes.append(
                p.Probleme(
                    f"Chiffre clé « {chiffre.libelle[:60]} » : un intitulé de colonne dépasse 120 caractères."
                )
            )
        if trop_long(chiffre.libelle, 200):
            problemes.append(
                p.Probleme(
                    f"Le libellé du chiffre clé « {chiffre.libelle[:60]}… » dépasse 200 caractères."
                )
            )
    return sorted(problemes, key=lambda pb: not pb.bloquant)


def premier_texte(proposition, fiche):
    morceaux = proposition.morceaux_de(fiche.id)
    return morceaux[0].texte[:40] if morceaux else fiche.id


# --- Writing -------------------------------------------------------------------------------------


def creer_projet(proposition, structure, auteur, nom_fichier):
    """The brouillon projet social of `structure` holding everything the proposition places.

    One transaction; raises ProjetNonCree (nothing written) while blocking problems remain.
    The projet's history says « importé de <nom_fichier> », by `auteur`."""
    bloquants = [pb for pb in verifier(proposition) if pb.bloquant]
    if bloquants:
        raise ProjetNonCree(bloquants)
    with set_actor(auteur), transaction.atomic():
        return Ecriture(proposition, structure, auteur, nom_fichier).ecrire()


class Ecriture:
    def __init__(self, proposition, structure, auteur, nom_fichier):
        self.p = proposition
        self.structure = structure
        self.auteur = auteur
        self.nom_fichier = nom_fichier

    def ecrire(self):
        self.projet = ProjetSocial(
            structure=self.structure,
            titre=self.p.titre,
            annee_debut=self.p.annee_debut,
            annee_fin=self.p.annee_fin,
            statut=ProjetSocial.Statut.BROUILLON,
            agrement_acf=any(f.projet_familles for f in self.p.fiches)
            or any(s.type == SectionProjet.Type.PROJET_FAMILLES for s in self.p.sections),
        )
        self.projet.full_clean()
        self.projet.save()
        LogEntry.objects.log_create(
            self.projet,
            action=LogEntry.Action.UPDATE,
            changes={"origine": ["", f"importé de {self.nom_fichier}"]},
            actor=self.auteur,
            additional_data={"projet": self.projet.pk, "import": self.nom_fichier},
            force_log=True,
        )
        self.sections()
        self.arbre()
        self.fiches()
        self.sigles()
        self.chiffres()
        return self.projet

    def sections(self):
        for ordre, section in enumerate(self.p.sections, start=1):
            contenu = texte_de(self.p.morceaux_de(section.id, "contenu"))
            SectionProjet.objects.create(
                projet=self.projet,
                type=section.type,
                titre=section.titre,
                contenu=contenu,
                ordre=ordre,
            )

    def arbre(self):
        self.axes, self.enjeux, self.objectifs = {}, {}, {}
        rangs = {False: 0, True: 0}
        for axe in sorted(self.p.axes, key=lambda a: (a.transversal, a.numero or 999)):
            rangs[axe.transversal] += 1
            self.axes[axe.id] = Axe.objects.create(
                projet=self.projet,
                titre=axe.titre,
                transversal=axe.transversal,
                ordre=rangs[axe.transversal],
            )
        numeros = set()
        for enjeu in self.p.enjeux:
            numero = enjeu.numero if enjeu.numero not in numeros else max(numeros) + 1
            numeros.add(numero)
            self.enjeux[enjeu.id] = Enjeu.objects.create(
                projet=self.projet,
                axe=self.axes[enjeu.axe],
                numero=numero,
                titre=enjeu.titre or f"Enjeu n° {enjeu.numero}",
            )
        rangs = {}
        for objectif in self.p.objectifs:
            cle = (objectif.axe, objectif.enjeu)
            rangs[cle] = rangs.get(cle, 0) + 1
            champs = {
                champ: texte_de(self.p.morceaux_de(objectif.id, champ))
                for champ in p.CHAMPS_OBJECTIF
            }
            self.objectifs[objectif.id] = ObjectifGeneral.objects.create(
                axe=self.axes[objectif.axe],
                enjeu=self.enjeux.get(objectif.enjeu),
                titre=objectif.titre,
                ordre=rangs[cle],
                **champs,
            )

    def objectif_nomme(self, axe, titre):
        """The axe's objectif général of that title, created when the arbre does not hold it."""
        cle = normaliser(titre, numerotation=False)
        for objectif in self.objectifs.values():
            if objectif.axe_id == axe.pk and normaliser(objectif.titre, numerotation=False) == cle:
                return objectif
        ordre = (
            sum(1 for o in self.objectifs.values() if o.axe_id == axe.pk and o.enjeu_id is None) + 1
        )
        objectif = ObjectifGeneral.objects.create(axe=axe, titre=titre, ordre=ordre)
        self.objectifs[f"nouveau-{len(self.objectifs)}"] = objectif
        return objectif

    def partenaire(self, nom):
        cle = normaliser(nom, numerotation=False)
        if not hasattr(self, "_annuaire"):
            self._annuaire = {}
            for partenaire in Partenaire.objects.filter(structure=self.structure):
                self._annuaire.setdefault(
                    normaliser(partenaire.nom, numerotation=False), partenaire
                )
                if partenaire.sigle:
                    self._annuaire.setdefault(
                        normaliser(partenaire.sigle, numerotation=False), partenaire
                    )
            for propose in self.p.partenaires:
                if propose.existant:
                    trouve = Partenaire.objects.filter(
                        structure=self.structure, pk=propose.existant
                    ).first()
                    if trouve:
                        self._annuaire[propose.cle] = trouve
        if cle not in self._annuaire:
            self._annuaire[cle] = Partenaire.objects.create(structure=self.structure, nom=nom)
        return self._annuaire[cle]

    def fiches(self):
        pris = {}
        for fiche in self.p.fiches:
            axe = self.axes[fiche.axe]
            valeurs = valeurs_fiche(self.p, fiche)
            numeros = pris.setdefault(axe.pk, set())
            numero = fiche.numero if fiche.numero and fiche.numero not in numeros else None
            if numero is None:
                numero = max(numeros, default=0) + 1
            numeros.add(numero)
            objet = FicheAction.objects.create(
                projet=self.projet,
                axe=axe,
                numero=numero,
                titre=fiche.titre,
                statut_plan=fiche.statut_plan,
                projet_familles=fiche.projet_familles,
                projet_jeunesse=fiche.projet_jeunesse,
                referent_libelle=valeurs.referent[:200] if len(valeurs.referent) <= 200 else "",
                participation_actuelle=fiche.participation_actuelle,
                participation_visee=fiche.participation_visee,
                **valeurs.textes,
            )
            if len(valeurs.referent) > 200:  # never cut: kept with the fiche's presentation
                objet.presentation = "\n\n".join(
                    t for t in (objet.presentation, valeurs.referent) if t
                )
                objet.save(update_fields=["presentation"])
            self.lignes_fiche(objet, fiche, valeurs, axe)

    def lignes_fiche(self, objet, fiche, valeurs, axe):
        objectifs = [self.objectifs[o] for o in fiche.objectifs if o in self.objectifs]
        for titre in valeurs.objectifs_generaux:
            objectif = self.objectif_nomme(axe, titre)
            if objectif not in objectifs:
                objectifs.append(objectif)
        FicheObjectif.objects.bulk_create(
            FicheObjectif(fiche=objet, objectif=o, principal=i == 0, ordre=i)
            for i, o in enumerate(objectifs)
        )
        annees = [a for a in fiche.annees if a in self.projet.annees]
        AnneeAction.objects.bulk_create(
            AnneeAction(fiche=objet, annee=a) for a in sorted(set(annees))
        )
        for ordre, libelle in enumerate(valeurs.objectifs_operationnels):
            ObjectifOperationnel.objects.create(fiche=objet, libelle=libelle, ordre=ordre)
        for ordre, etape in enumerate(valeurs.etapes):
            EtapeEcheancier.objects.create(
                fiche=objet, libelle=etape.libelle, periode=etape.periode, ordre=ordre
            )
        for ordre, moyen in enumerate(valeurs.moyens):
            Moyen.objects.create(
                fiche=objet,
                type=moyen.type,
                libelle=moyen.libelle,
                quantite=moyen.quantite,
                montant=moyen.montant,
                ordre=ordre,
            )
        deja = set()
        for ordre, nom in enumerate(valeurs.partenaires):
            partenaire = self.partenaire(nom)
            if partenaire.pk in deja:
                continue
            deja.add(partenaire.pk)
            PartenariatAction.objects.create(fiche=objet, partenaire=partenaire, ordre=ordre)
        for ordre, indicateur in enumerate(valeurs.indicateurs):
            Indicateur.objects.create(
                fiche=objet,
                libelle=indicateur.libelle,
                objet=indicateur.objet,
                outil=indicateur.outil,
                nature=indicateur.nature,
                ordre=ordre,
            )

    def sigles(self):
        vus = set()
        for sigle in self.p.sigles:
            if sigle.sigle.lower() in vus:
                continue
            vus.add(sigle.sigle.lower())
            Sigle.objects.create(
                projet=self.projet, sigle=sigle.sigle, signification=sigle.signification
            )

    def chiffres(self):
        if not self.p.chiffres:
            return
        nom = self.p.territoire or self.structure.nom
        territoire, _ = Territoire.objects.get_or_create(structure=self.structure, nom=nom)
        depart = territoire.chiffres.count()
        colonnes = {}
        for rang, chiffre in enumerate(self.p.chiffres, start=depart + 1):
            valeur = self.nombre(chiffre.valeur)
            ligne = ChiffreCle.objects.create(
                territoire=territoire,
                libelle=chiffre.libelle,
                valeur=valeur,
                unite=chiffre.unite,
                ordre=rang,
            )
            for intitule, texte in chiffre.comparaisons.items():
                nombre = self.nombre(texte)
                if nombre is None:
                    continue
                if intitule not in colonnes:
                    colonnes[intitule], _ = ColonneChiffres.objects.get_or_create(
                        territoire=territoire,
                        intitule=intitule,
                        defaults={"ordre": territoire.colonnes.count() + 1},
                    )
                ValeurComparee.objects.create(
                    chiffre=ligne, colonne=colonnes[intitule], valeur=nombre
                )

    @staticmethod
    def nombre(texte):
        nombre = nombre_ou_rien(texte or "")
        if nombre is None or nombre.as_tuple().exponent < -2 or abs(nombre) >= 10**12:
            return None
        return nombre
