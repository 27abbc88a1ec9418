"""Evidence files: their type is read once, at upload, within a few kilobytes whatever the file
claims; the stored name follows that type; downloads send the stored type, never one read from
the file."""

import contextlib
import functools
import importlib
import io
import struct
import tracemalloc
import zipfile
from pathlib import PurePath
from typing import NamedTuple

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation.fichiers import MESSAGE_TYPE, TypeFichier, type_du_contenu, verifier_fichier
from evaluation.models import FichierBilan, Resultat
from tests.factories import BilanActionFactory, FichierBilanFactory, ResultatFactory

from .conftest import PDF, PNG, docx

MO = 1024 * 1024
ODT = b"application/vnd.oasis.opendocument.text"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 20
REFUS = "type de fichier n&#x27;est pas accepté"


def odt(mimetype=ODT, compression=zipfile.ZIP_STORED):
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=compression)
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return tampon.getvalue()


def ooxml(*noms):
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for nom in noms:
            archive.writestr(nom, "<x/>")
    return tampon.getvalue()


@functools.cache
def bombe(mo, debut=b"", octet=b"\x00"):
    """An .odt whose `mimetype` member is `debut` then `mo` Mo of `octet`, deflated a thousandfold.

    The type followed by spaces was accepted before (the member was read whole, then stripped)."""
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("mimetype", "w") as membre:
            membre.write(debut)
            bloc = octet * MO
            for _ in range(mo):
                membre.write(bloc)
        archive.writestr("content.xml", "<office:document-content/>")
    return tampon.getvalue()


BOMBES = [
    pytest.param((300, b"", b"\x00"), id="zeros"),
    pytest.param((300, ODT, b" "), id="type-puis-espaces"),
]


def qui_ment(contenu, taille=40):
    """The archive with its first member claiming `taille` bytes, in both of its ZIP headers."""
    archive = zipfile.ZipFile(io.BytesIO(contenu))
    local, central = archive.infolist()[0].header_offset, archive.start_dir
    donnees = bytearray(contenu)
    assert donnees[local : local + 4] == b"PK\x03\x04"
    assert donnees[central : central + 4] == b"PK\x01\x02"
    struct.pack_into("<L", donnees, local + 22, taille)
    struct.pack_into("<L", donnees, central + 24, taille)
    return bytes(donnees)


def zip64(contenu):
    """The archive with a ZIP64 locator before its end record (counts and sizes beyond it)."""
    fin = contenu.rindex(b"PK\x05\x06")
    return contenu[:fin] + b"PK\x06\x07" + bytes(16) + contenu[fin:]


def ole2(*flux):
    """A minimal OLE2 file (the container of .doc, .xls, .ppt) listing these streams."""
    fin, libre = 0xFFFFFFFE, 0xFFFFFFFF
    entrees = []
    for rang, nom in enumerate(["Root Entry", *flux]):
        code = nom.encode("utf-16-le") + b"\x00\x00"
        entree = code.ljust(64, b"\x00") + struct.pack("<HB", len(code), 2 if rang else 5)
        entrees.append(entree.ljust(128, b"\x00"))
    secteurs = [b"".join(entrees[i : i + 4]) for i in range(0, len(entrees), 4)]
    # Sector 0 is the allocation table, the directory's sectors follow and are chained there.
    table = [0xFFFFFFFD, *range(2, len(secteurs) + 1), fin]
    entete = b"".join(
        [
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16),
            struct.pack("<5H6x", 0x3E, 3, 0xFFFE, 9, 6),  # version 3: sectors of 2**9 bytes
            struct.pack("<9L", 0, 1, 1, 0, 4096, fin, 0, fin, 0),  # directory from sector 1
            struct.pack("<109L", 0, *[libre] * 108),  # the allocation table is sector 0
        ]
    )
    table_secteur = struct.pack(f"<{len(table)}L", *table).ljust(512, b"\xff")
    return entete + table_secteur + b"".join(s.ljust(512, b"\x00") for s in secteurs)


@contextlib.contextmanager
def pic_de_memoire():
    """The peak of Python allocations inside the block, in bytes, in `mesure["pic"]`."""
    mesure = {}
    tracemalloc.start()
    try:
        yield mesure
    finally:
        mesure["pic"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


# --- reading the type ---


@pytest.mark.parametrize(
    "contenu, attendu",
    [
        (PDF, TypeFichier.PDF),
        (PNG, TypeFichier.PNG),
        (JPEG, TypeFichier.JPEG),
        (docx(), TypeFichier.DOCX),
        (ooxml("word/document.xml", "word/vbaProject.bin"), TypeFichier.DOCM),
        (ooxml("xl/workbook.xml"), TypeFichier.XLSX),
        (ooxml("xl/workbook.bin"), TypeFichier.XLSB),
        (ooxml("ppt/presentation.xml"), TypeFichier.PPTX),
        (odt(), TypeFichier.ODT),
        (odt(b"application/vnd.oasis.opendocument.spreadsheet"), TypeFichier.ODS),
        (odt(ODT, zipfile.ZIP_DEFLATED), TypeFichier.ODT),
        (ole2("WordDocument", "1Table"), TypeFichier.DOC),
        (ole2("Workbook"), TypeFichier.XLS),
        (ole2("PowerPoint Document"), TypeFichier.PPT),
        # Five streams: the directory takes two sectors, the second found through the table.
        (ole2("a", "b", "c", "d", "WordDocument"), TypeFichier.DOC),
    ],
    ids=lambda v: v.name.lower() if isinstance(v, TypeFichier) else "contenu",
)
def test_type_lu_dans_le_contenu(contenu, attendu):
    assert type_du_contenu(io.BytesIO(contenu)) == attendu


@pytest.mark.parametrize(
    "contenu",
    [
        pytest.param(odt(ODT + b"\r\nX-Injection: oui"), id="mimetype-avec-retour-a-la-ligne"),
        pytest.param(odt(ODT + b"\n"), id="mimetype-suivi-d-un-saut-de-ligne"),
        pytest.param(odt(ODT + b'"; x="y'), id="mimetype-avec-guillemet"),
        pytest.param(odt(b"application/vnd.oasis.opendocument.text-web"), id="mimetype-inconnu"),
        pytest.param(odt(b"application/epub+zip"), id="epub"),
        pytest.param(odt(ODT, zipfile.ZIP_BZIP2), id="mimetype-en-bzip2"),
        pytest.param(ooxml("visio/document.xml"), id="ooxml-inconnu"),
        pytest.param(ole2("SummaryInformation"), id="ole2-sans-document-bureautique"),
        pytest.param(odt()[:-30], id="zip-tronque"),
        pytest.param(zip64(odt()), id="zip64"),
        pytest.param(qui_ment(odt(ODT * 3), taille=1 << 30), id="taille-annoncee-absurde"),
    ],
)
def test_contenus_refuses(contenu):
    assert type_du_contenu(io.BytesIO(contenu)) is None
    with pytest.raises(ValidationError) as erreur:
        verifier_fichier(SimpleUploadedFile("rapport.odt", contenu))
    assert erreur.value.messages == [MESSAGE_TYPE]


def test_un_zip_aux_milliers_de_membres_est_refuse_sans_etre_liste():
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for rang in range(6000):
            archive.writestr(f"word/{rang}", b"")
    assert type_du_contenu(io.BytesIO(tampon.getvalue())) is None


@pytest.mark.parametrize("recette", BOMBES)
@pytest.mark.parametrize("menteuse", [False, True], ids=["tailles-exactes", "taille-qui-ment"])
def test_une_bombe_odt_est_refusee_sans_etre_decompressee(recette, menteuse):
    contenu = qui_ment(bombe(*recette)) if menteuse else bombe(*recette)
    assert 200_000 < len(contenu) < 400_000  # 300 Mo once inflated
    fichier = SimpleUploadedFile("bilan.odt", contenu)
    with pic_de_memoire() as mesure, pytest.raises(ValidationError):
        verifier_fichier(fichier)
    assert mesure["pic"] < 20 * MO


# --- uploading through the pages, downloading ---


class Depose(NamedTuple):
    champ: object
    type_mime: str
    url: str


@pytest.fixture(params=["justificatif", "fichier du bilan"])
def deposer(request, client, monde, quantitatif):
    """Upload a file where the page takes it: (response, what was stored or None)."""
    client.force_login(monde.equipe_1)

    def justificatif(nom, contenu):
        url = reverse("evaluation:resultat_creer", args=[quantitatif.pk])
        donnees = {"annee": 2025, "semestre": 0, "valeur": "12"}
        reponse = client.post(url, {**donnees, "justificatif": SimpleUploadedFile(nom, contenu)})
        r = Resultat.objects.first()
        url = r and reverse("evaluation:justificatif", args=[r.pk])
        return reponse, r and Depose(r.justificatif, r.type_mime, url)

    def fichier_du_bilan(nom, contenu):
        url = reverse("evaluation:bilan", args=[monde.fiche_1a.pk, 2025])
        donnees = {"statut": "en_cours", "titre_fichier": "Compte rendu"}
        reponse = client.post(url, {**donnees, "fichier": SimpleUploadedFile(nom, contenu)})
        f = FichierBilan.objects.first()
        url = f and reverse("evaluation:fichier_bilan", args=[f.pk])
        return reponse, f and Depose(f.fichier, f.type_mime, url)

    return justificatif if request.param == "justificatif" else fichier_du_bilan


@pytest.mark.parametrize("recette", BOMBES)
def test_une_bombe_deposee_par_la_page_ne_gonfle_pas_la_memoire(deposer, recette):
    contenu = bombe(*recette)
    deposer("rapport.odt", b"PK\x03\x04")  # templates and URLs loaded before measuring
    with pic_de_memoire() as mesure:
        reponse, depose = deposer("bilan.odt", contenu)
    assert reponse.status_code == 200 and REFUS in reponse.content.decode()
    assert depose is None
    assert mesure["pic"] < 20 * MO


@pytest.mark.parametrize(
    "mimetype", [ODT + b"\r\nX-Injection: oui", ODT + b'"; charset="', ODT + b"\n"]
)
def test_un_mimetype_qui_finirait_dans_un_en_tete_est_refuse(deposer, mimetype):
    reponse, depose = deposer("rapport.odt", odt(mimetype))
    assert reponse.status_code == 200 and REFUS in reponse.content.decode()
    assert depose is None


NOMS = [
    ("poly.html", PDF, "poly.pdf", TypeFichier.PDF),
    ("poly.svg", PNG, "poly.png", TypeFichier.PNG),
    ("x.exe", PDF, "x.pdf", TypeFichier.PDF),
    ("photo.JPEG", JPEG, "photo.JPEG", TypeFichier.JPEG),
    ("sortie.png", JPEG, "sortie.jpg", TypeFichier.JPEG),
    ("rapport.docx", docx(), "rapport.docx", TypeFichier.DOCX),
    ("tableau.xls", ooxml("xl/workbook.xml"), "tableau.xlsx", TypeFichier.XLSX),
    ("cr.odt", odt(), "cr.odt", TypeFichier.ODT),
    ("cr.html", odt(), "cr.odt", TypeFichier.ODT),
    ("ancien.doc", ole2("WordDocument"), "ancien.doc", TypeFichier.DOC),
    ("ancien", ole2("WordDocument"), "ancien.doc", TypeFichier.DOC),
]


@pytest.mark.parametrize(
    "nom, contenu, stocke, type_mime", NOMS, ids=[f"{n[0]}-stocke-{n[2]}" for n in NOMS]
)
def test_le_nom_stocke_suit_le_type_et_le_telechargement_aussi(
    client, deposer, nom, contenu, stocke, type_mime
):
    reponse, depose = deposer(nom, contenu)
    assert reponse.status_code == 302
    assert PurePath(depose.champ.name).name == stocke
    assert depose.type_mime == type_mime
    telechargement = client.get(depose.url)
    assert telechargement["Content-Type"] == type_mime
    assert telechargement["Content-Disposition"] == f'attachment; filename="{stocke}"'
    assert telechargement["X-Content-Type-Options"] == "nosniff"
    assert b"".join(telechargement.streaming_content) == contenu


def test_le_telechargement_envoie_le_type_du_depot_sans_relire_le_fichier(client, deposer):
    _, depose = deposer("cr.pdf", PDF)
    with default_storage.open(depose.champ.name, "wb") as fichier:  # changed behind our back
        fichier.write(odt(ODT + b"\r\nX-Injection: oui"))
    telechargement = client.get(depose.url)
    assert telechargement.status_code == 200
    assert telechargement["Content-Type"] == "application/pdf"
    assert "X-Injection" not in telechargement.headers


def test_un_type_stocke_hors_de_la_liste_n_est_jamais_envoye(client, monde, quantitatif):
    resultat = ResultatFactory(
        indicateur=quantitatif, annee=2025, valeur=1, justificatif=SimpleUploadedFile("a.pdf", PDF)
    )
    Resultat.objects.filter(pk=resultat.pk).update(type_mime='text/html; x="y"')
    client.force_login(monde.equipe_1)
    telechargement = client.get(reverse("evaluation:justificatif", args=[resultat.pk]))
    assert telechargement["Content-Type"] == "application/octet-stream"
    assert telechargement["Content-Disposition"] == 'attachment; filename="a.bin"'


# --- files stored before the type was: the migration types them, bounded ---


def stocker(nom, contenu):
    return default_storage.save(f"evaluation/justificatifs/2024/{nom}", ContentFile(contenu))


def test_la_migration_type_les_fichiers_deja_stockes(monde, quantitatif):
    typer = importlib.import_module("evaluation.migrations.0003_type_mime").typer_les_fichiers
    resultat = ResultatFactory(
        indicateur=quantitatif, annee=2025, valeur=1, justificatif=stocker("poly.html", PDF)
    )
    bilan = BilanActionFactory(fiche=monde.fiche_1a, annee=2025)
    attendus = {
        FichierBilanFactory(bilan=bilan, fichier=stocker(nom, contenu)): attendu
        for nom, contenu, attendu in [
            ("rapport.docx", docx(), TypeFichier.DOCX),
            ("bombe.odt", bombe(300, ODT, b" "), TypeFichier.INCONNU),
            ("injection.odt", odt(ODT + b"\r\nX: y"), TypeFichier.INCONNU),
            ("ancien.xls", ole2("Workbook"), TypeFichier.XLS),
        ]
    }
    perdu = FichierBilanFactory(bilan=bilan, fichier="evaluation/bilans/2024/perdu.pdf")
    attendus[perdu] = TypeFichier.INCONNU
    attendus[resultat] = TypeFichier.PDF
    FichierBilan.objects.update(type_mime="")
    Resultat.objects.update(type_mime="")

    with pic_de_memoire() as mesure:
        typer(apps, None)

    assert mesure["pic"] < 20 * MO
    for ligne, attendu in attendus.items():
        ligne.refresh_from_db()
        assert ligne.type_mime == attendu, ligne


def test_une_ancienne_ligne_au_fichier_douteux_se_telecharge_sans_erreur(
    client, monde, quantitatif
):
    """Accepted before (the old check took any « opendocument » prefix), typed unknown now."""
    nom = stocker("rapport.odt", odt(ODT + b"\r\nX-Injection: oui"))
    resultat = ResultatFactory(indicateur=quantitatif, annee=2025, valeur=1)
    Resultat.objects.filter(pk=resultat.pk).update(justificatif=nom)
    importlib.import_module("evaluation.migrations.0003_type_mime").typer_les_fichiers(apps, None)
    client.force_login(monde.equipe_1)
    telechargement = client.get(reverse("evaluation:justificatif", args=[resultat.pk]))
    assert telechargement.status_code == 200
    assert telechargement["Content-Type"] == "application/octet-stream"
    assert telechargement["Content-Disposition"] == 'attachment; filename="rapport.bin"'
    assert telechargement["X-Content-Type-Options"] == "nosniff"
    assert "X-Injection" not in telechargement.headers
