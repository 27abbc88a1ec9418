"""The score of an import: fiches found / expected, and pieces of text in the right field /
expected. A piece counts when its words are in one of the fields it may go to, in the fiche
whose title is the expected one, as the writer will write them (`ecriture.valeurs_fiche`)."""

from dataclasses import dataclass, field

from ..ecriture import texte_de, valeurs_fiche
from ..synonymes import normaliser


def mots(texte):
    return " " + normaliser(texte, numerotation=False) + " "


@dataclass
class Score:
    trouvees: int = 0
    attendues: int = 0
    justes: int = 0
    champs: int = 0
    manques: list = field(default_factory=list)

    @property
    def taux_fiches(self):
        return self.trouvees / self.attendues if self.attendues else 1.0

    @property
    def taux_champs(self):
        return self.justes / self.champs if self.champs else 1.0


def champs_fiche(proposition, fiche):
    valeurs = valeurs_fiche(proposition, fiche)
    champs = {nom: mots(texte) for nom, texte in valeurs.textes.items()}
    champs["objectifs_generaux"] = mots("\n".join(valeurs.objectifs_generaux))
    champs["objectifs_operationnels"] = mots("\n".join(valeurs.objectifs_operationnels))
    champs["echeancier"] = mots("\n".join(f"{e.periode} {e.libelle}" for e in valeurs.etapes))
    for type_, nom in (
        ("humain", "moyens_humains"),
        ("materiel", "moyens_materiels"),
        ("financier", "moyens_financiers"),
    ):
        champs[nom] = mots("\n".join(m.libelle for m in valeurs.moyens if m.type == type_))
    champs["partenaires"] = mots("\n".join(valeurs.partenaires))
    champs["indicateurs"] = mots(
        "\n".join(f"{i.objet} {i.libelle} {i.outil}" for i in valeurs.indicateurs)
    )
    return champs


def champs_objectif(proposition, objectif):
    return {
        champ: mots(texte_de(proposition.morceaux_de(objectif.id, champ)))
        for champ in ("objectifs_operationnels", "indicateurs_resultats", "exemples")
    }


def noter(proposition, attendus):
    score = Score()
    fiches = {mots(f.titre): f for f in proposition.fiches}
    objectifs = {mots(o.titre): o for o in proposition.objectifs}
    for attendu in attendus:
        score.attendues += 1
        score.champs += len(attendu.unites) + len(attendu.participation)
        candidats = objectifs if attendu.sorte == "objectif" else fiches
        titre = mots(attendu.titre)
        trouve = candidats.get(titre) or next(
            (
                o
                for cle, o in candidats.items()
                if len(titre) > 8
                and (titre in cle or cle.strip() and cle in titre and len(cle) > len(titre) * 0.6)
            ),
            None,
        )
        if trouve is None:
            score.manques.append(f"{attendu.sorte} introuvable : {attendu.titre}")
            continue
        score.trouvees += 1
        champs = (
            champs_objectif(proposition, trouve)
            if attendu.sorte == "objectif"
            else champs_fiche(proposition, trouve)
        )
        for unite in attendu.unites:
            cherche = mots(unite.texte)
            # « Partenaires opérationnels : A, B »: the rubric before the colon may stay behind.
            apres = unite.texte.split(":", 1)[1] if ":" in unite.texte[:45] else ""
            essais = [cherche] + ([mots(apres)] if apres.strip() else [])
            if any(e in champs.get(champ, "") for e in essais for champ in unite.champs):
                score.justes += 1
            else:
                ou = [c for c, t in champs.items() if cherche in t]
                score.manques.append(
                    f"{attendu.titre[:30]} · {unite.champs[0]} ← « {unite.texte[:60]} » (trouvé dans {ou or 'aucun champ'})"
                )
        for champ, valeur in attendu.participation.items():
            if getattr(trouve, champ, None) == valeur:
                score.justes += 1
            else:
                score.manques.append(f"{attendu.titre[:30]} · {champ} ≠ {valeur}")
    return score
