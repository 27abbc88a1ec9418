"""Bad input is refused with a clear French message, and nothing is created."""

import io
import zipfile

import pytest

from importation.erreurs import (
    TAILLE_MAX,
    DocumentSansProjet,
    DocumentVide,
    FichierIllisible,
    FichierProtege,
    FichierTropGros,
    FormatNonPris,
    ImportImpossible,
    PdfSansTexte,
)
from importation.lecture import lire_document
from importation.mesure import ecrire
from importation.mesure.modele import DocumentMesure, Para
from importation.models import Importation
from projets.models import ProjetSocial
from tests.factories import MembreFactory


def docx_de(*textes):
    return ecrire.ecrire(DocumentMesure("x", [Para(t) for t in textes], []), "docx")


def docx_chiffre(contenu, mot_de_passe="secret"):
    from msoffcrypto.format.ooxml import OOXMLFile

    entree = io.BytesIO(contenu)
    sortie = io.BytesIO()
    fichier = OOXMLFile(entree)
    fichier.encrypt(mot_de_passe, sortie)
    return sortie.getvalue()


def pdf_chiffre():
    from pypdf import PdfReader, PdfWriter

    pdf = ecrire.ecrire(DocumentMesure("x", [Para("Fiche action 1 : Essai")], []), "pdf")
    ecrivain = PdfWriter()
    ecrivain.append(PdfReader(io.BytesIO(pdf)))
    ecrivain.encrypt("secret")
    sortie = io.BytesIO()
    ecrivain.write(sortie)
    return sortie.getvalue()


def pdf_scanne():
    from PIL import Image

    sortie = io.BytesIO()
    Image.new("RGB", (400, 560), "white").save(sortie, format="PDF")
    return sortie.getvalue()


def zip_abime(contenu):
    return contenu[: len(contenu) // 2]


CAS = [
    ("abime.docx", lambda: zip_abime(docx_de("Un texte")), FichierIllisible),
    ("faux.docx", lambda: b"ceci n'est pas un document Word", FichierIllisible),
    ("zip.docx", lambda: _zip({"autre.txt": "x"}), FichierIllisible),
    ("protege.docx", lambda: docx_chiffre(docx_de("Fiche action 1 : Essai")), FichierProtege),
    ("protege.pdf", pdf_chiffre, FichierProtege),
    ("scanne.pdf", pdf_scanne, PdfSansTexte),
    ("abime.pdf", lambda: b"%PDF-1.7\n1 0 obj <<>> endobj\n", FichierIllisible),
    ("vide.docx", lambda: docx_de(), DocumentVide),
    ("vide.txt", lambda: b"  \n\n ", DocumentVide),
    ("tableur.xlsx", lambda: b"\x01\x02", FormatNonPris),
]


def _zip(fichiers):
    sortie = io.BytesIO()
    with zipfile.ZipFile(sortie, "w") as archive:
        for nom, texte in fichiers.items():
            archive.writestr(nom, texte)
    return sortie.getvalue()


@pytest.mark.parametrize(("nom", "fabrique", "erreur"), CAS, ids=[c[0] for c in CAS])
def test_un_fichier_illisible_est_refuse_avec_un_message_en_francais(nom, fabrique, erreur):
    with pytest.raises(erreur) as refus:
        lire_document(fabrique(), nom)
    assert isinstance(refus.value, ImportImpossible)
    message = str(refus.value)
    assert message == erreur.message and " " in message and message.endswith(".")


def test_un_fichier_de_plus_de_30_mo_est_refuse_avant_d_etre_lu(db):
    membre = MembreFactory(direction=True)
    with pytest.raises(FichierTropGros, match="30 Mo"):
        Importation.deposer(membre.structure, membre.user, "gros.docx", b"0" * (TAILLE_MAX + 1))
    assert not Importation.objects.exists()
    with pytest.raises(FichierTropGros):
        lire_document(b"0" * (TAILLE_MAX + 1), "gros.txt")


def test_un_ancien_fichier_doc_est_refuse_avec_la_marche_a_suivre():
    import olefile  # noqa: F401  (installed with msoffcrypto-tool)

    with pytest.raises(ImportImpossible):
        lire_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "ancien.doc")


def test_un_document_sans_rapport_est_refuse_et_rien_n_est_cree(db):
    membre = MembreFactory(direction=True)
    recette = docx_de("Tarte aux pommes", "Éplucher quatre pommes.", "Cuire trente minutes.")
    importation = Importation.deposer(membre.structure, membre.user, "recette.docx", recette)
    assert importation.lire() is None
    importation.refresh_from_db()
    assert importation.statut == Importation.Statut.ECHEC
    assert importation.erreur == DocumentSansProjet.message
    assert not ProjetSocial.objects.filter(structure=membre.structure).exists()


def test_un_pdf_protege_echoue_sans_rien_creer(db):
    membre = MembreFactory(direction=True)
    importation = Importation.deposer(membre.structure, membre.user, "p.pdf", pdf_chiffre())
    importation.lire()
    assert importation.statut == Importation.Statut.ECHEC
    assert "mot de passe" in importation.erreur
    assert importation.proposition is None
