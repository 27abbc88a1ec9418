"""The proposition is plain JSON, and the review page's edits are pure functions on it."""

import json

import pytest

from importation.analyse import analyser
from importation.mesure import ecrire
from importation.proposition import (
    IGNORE,
    ModificationImpossible,
    Proposition,
    fusionner_fiches,
    ignorer,
    modifier,
    problemes,
    reassigner,
    scinder_fiche,
)


@pytest.fixture
def proposition(synthetique_titres):
    return analyser(ecrire.ecrire(synthetique_titres, "docx"), "projet.docx")


def test_la_proposition_fait_l_aller_retour_en_json(proposition):
    donnees = json.loads(json.dumps(proposition.en_dict()))
    assert Proposition.depuis(donnees) == proposition


def test_reassigner_un_morceau_a_un_autre_champ_sans_toucher_l_original(proposition):
    morceau = next(m for m in proposition.morceaux if m.champ == "freins")
    autre = proposition.fiches[1].id
    nouvelle = reassigner(proposition, morceau.id, autre, "resultats_attendus")
    assert (nouvelle.morceau(morceau.id).objet, nouvelle.morceau(morceau.id).champ) == (
        autre,
        "resultats_attendus",
    )
    assert proposition.morceau(morceau.id).champ == "freins"
    with pytest.raises(ModificationImpossible):
        reassigner(proposition, morceau.id, autre, "champ_inconnu")
    remis = reassigner(proposition, morceau.id, "", "")
    assert morceau.id in {m.id for m in remis.non_places()}


def test_ignorer_un_morceau(proposition):
    morceau = next(m for m in proposition.morceaux if m.champ == "contexte")
    nouvelle = ignorer(proposition, morceau.id)
    assert nouvelle.morceau(morceau.id).champ == IGNORE
    assert morceau.id in {m.id for m in nouvelle.ignores()}


def test_fusionner_deux_fiches(proposition):
    premiere, seconde = proposition.fiches[:2]
    morceaux_seconde = {m.id for m in proposition.morceaux_de(seconde.id)}
    nouvelle = fusionner_fiches(proposition, premiere.id, seconde.id)
    assert seconde.id not in {f.id for f in nouvelle.fiches}
    assert {m.objet for m in nouvelle.morceaux if m.id in morceaux_seconde} == {premiere.id}
    assert len(nouvelle.fiches) == len(proposition.fiches) - 1
    with pytest.raises(ModificationImpossible):
        fusionner_fiches(proposition, premiere.id, premiere.id)


def test_scinder_une_fiche_a_partir_d_un_morceau(proposition):
    fiche = proposition.fiches[0]
    depart = next(m for m in proposition.morceaux_de(fiche.id) if m.champ == "presentation")
    nouvelle, identifiant = scinder_fiche(proposition, fiche.id, depart.id)
    ajoutee = nouvelle.fiche(identifiant)
    assert ajoutee.titre == depart.texte and ajoutee.axe == fiche.axe
    assert [f.id for f in nouvelle.fiches][:2] == [fiche.id, identifiant]
    champs = {m.champ for m in nouvelle.morceaux_de(identifiant) if m.place}
    assert "freins" in champs and "contexte" not in champs
    assert "contexte" in {m.champ for m in nouvelle.morceaux_de(fiche.id)}


def test_modifier_le_projet_et_une_fiche(proposition):
    fiche = proposition.fiches[0]
    nouvelle = modifier(
        proposition, "", titre="Projet des Tilleuls", annee_debut=2026, annee_fin=2029
    )
    nouvelle = modifier(nouvelle, fiche.id, titre="Le jardin", projet_jeunesse=True)
    assert (nouvelle.titre, nouvelle.annee_debut) == ("Projet des Tilleuls", 2026)
    assert (nouvelle.fiche(fiche.id).titre, nouvelle.fiche(fiche.id).projet_jeunesse) == (
        "Le jardin",
        True,
    )
    with pytest.raises(ModificationImpossible):
        modifier(proposition, fiche.id, id="f99")


def test_un_texte_trop_long_pour_son_champ_est_signale_jamais_coupe(proposition):
    morceau = next(m for m in proposition.morceaux if m.champ == "objectifs_operationnels")
    long_ = proposition.morceau(morceau.id)
    long_.texte = "Un objectif " + "très " * 60 + "long"
    liste = problemes(proposition)
    (trop_long,) = [pb for pb in liste if pb.morceau == morceau.id]
    assert trop_long.bloquant and "trop long" in trop_long.message
    assert proposition.morceau(morceau.id).texte.endswith("long")
    deplace = reassigner(proposition, morceau.id, morceau.objet, "presentation")
    assert not [pb for pb in problemes(deplace) if pb.morceau == morceau.id]


def test_sans_periode_la_creation_est_bloquee(proposition):
    sans = modifier(proposition, "", annee_debut=None)
    assert any(pb.bloquant and "période" in pb.message for pb in problemes(sans))
