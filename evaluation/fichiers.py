"""Checking uploaded evidence files: size cap and type read from the content, not the name.

The type is decided once, when the file is uploaded, and stored beside it: a download sends the
stored type and never reads the file to choose a header. Reading the type never takes more than a
few kilobytes, whatever the file claims: ZIP containers are judged on their directory and on the
first bytes of the OpenDocument `mimetype` member, OLE2 ones on the names in their directory.
"""

import struct
import zipfile
import zlib

from django.core.exceptions import ValidationError
from django.db import models

from centresocial.lib.fichiers import nom_avec_extension

TAILLE_MAX = 5 * 1024 * 1024


class TypeFichier(models.TextChoices):
    """The accepted types, and the one stored when the content could not be told."""

    PDF = "application/pdf", "PDF"
    PNG = "image/png", "image PNG"
    JPEG = "image/jpeg", "image JPEG"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"
    DOCM = "application/vnd.ms-word.document.macroEnabled.12", "Word avec macros"
    XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"
    XLSM = "application/vnd.ms-excel.sheet.macroEnabled.12", "Excel avec macros"
    XLSB = "application/vnd.ms-excel.sheet.binary.macroEnabled.12", "Excel binaire"
    PPTX = (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint",
    )
    PPTM = "application/vnd.ms-powerpoint.presentation.macroEnabled.12", "PowerPoint avec macros"
    ODT = "application/vnd.oasis.opendocument.text", "texte OpenDocument"
    ODS = "application/vnd.oasis.opendocument.spreadsheet", "classeur OpenDocument"
    ODP = "application/vnd.oasis.opendocument.presentation", "présentation OpenDocument"
    ODG = "application/vnd.oasis.opendocument.graphics", "dessin OpenDocument"
    OTT = "application/vnd.oasis.opendocument.text-template", "modèle de texte OpenDocument"
    OTS = (
        "application/vnd.oasis.opendocument.spreadsheet-template",
        "modèle de classeur OpenDocument",
    )
    OTP = (
        "application/vnd.oasis.opendocument.presentation-template",
        "modèle de présentation OpenDocument",
    )
    OTG = "application/vnd.oasis.opendocument.graphics-template", "modèle de dessin OpenDocument"
    DOC = "application/msword", "Word 97-2003"
    XLS = "application/vnd.ms-excel", "Excel 97-2003"
    PPT = "application/vnd.ms-powerpoint", "PowerPoint 97-2003"
    INCONNU = "application/octet-stream", "type inconnu"


# The extensions a file of each type may keep; the first is given to one named otherwise.
EXTENSIONS = {
    TypeFichier.PDF: (".pdf",),
    TypeFichier.PNG: (".png",),
    TypeFichier.JPEG: (".jpg", ".jpeg", ".jpe", ".jfif"),
    # Templates are the same container as documents: their names can't be told apart from them.
    TypeFichier.DOCX: (".docx", ".dotx"),
    TypeFichier.DOCM: (".docm", ".dotm"),
    TypeFichier.XLSX: (".xlsx", ".xltx"),
    TypeFichier.XLSM: (".xlsm", ".xltm"),
    TypeFichier.XLSB: (".xlsb",),
    TypeFichier.PPTX: (".pptx", ".potx", ".ppsx"),
    TypeFichier.PPTM: (".pptm", ".potm", ".ppsm"),
    TypeFichier.ODT: (".odt",),
    TypeFichier.ODS: (".ods",),
    TypeFichier.ODP: (".odp",),
    TypeFichier.ODG: (".odg",),
    TypeFichier.OTT: (".ott",),
    TypeFichier.OTS: (".ots",),
    TypeFichier.OTP: (".otp",),
    TypeFichier.OTG: (".otg",),
    TypeFichier.DOC: (".doc", ".dot"),
    TypeFichier.XLS: (".xls", ".xlt"),
    TypeFichier.PPT: (".ppt", ".pps", ".pot"),
    TypeFichier.INCONNU: (".bin",),
}

# What the first bytes say. ZIP and OLE2 containers (office documents) are told apart below.
SIGNATURES = [
    (b"%PDF-", TypeFichier.PDF),
    (b"\x89PNG\r\n\x1a\n", TypeFichier.PNG),
    (b"\xff\xd8\xff", TypeFichier.JPEG),
]
ZIP = b"PK\x03\x04"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# The OpenDocument `mimetype` member, byte for byte: nothing else (no newline, no parameter).
OPENDOCUMENT = {
    t.value.encode("ascii"): t
    for t in TypeFichier
    if t.value.startswith("application/vnd.oasis.opendocument.")
}
MIMETYPE_MAX = max(len(m) for m in OPENDOCUMENT)
# A ZIP's directory is read whole by `zipfile`: a few hundred entries for the largest office
# documents, while a 5 Mo file could list a hundred thousand and fill memory with them.
MEMBRES_MAX = 5000
ANNUAIRE_MAX = 512 * 1024
# Deflate can't shrink data more than 1032 times: a member claiming more lies about its size.
RATIO_MAX = 1032
DECOMPRESSE_MAX = 500 * 1024 * 1024
FIN_ZIP = struct.Struct("<4s4H2LH")
FIN_ZIP64 = b"PK\x06\x07"  # the ZIP64 locator: counts and sizes beyond the end record's
ERREURS_ZIP = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    RuntimeError,  # encrypted member
    NotImplementedError,  # compression method zipfile doesn't know
    ValueError,
    struct.error,
    zlib.error,
)

# OLE2 (.doc, .xls, .ppt): the stream that tells which application wrote the file.
FLUX_OLE2 = {
    "WordDocument": TypeFichier.DOC,
    "Workbook": TypeFichier.XLS,
    "Book": TypeFichier.XLS,
    "PowerPoint Document": TypeFichier.PPT,
}
SECTEURS_REPERTOIRE_MAX = 16
FIN_DE_CHAINE = 0xFFFFFFFA  # sector numbers above are markers (end of chain, free…)

MESSAGE_TYPE = (
    "Ce type de fichier n'est pas accepté : déposez un PDF, une image PNG ou JPEG, "
    "ou un document bureautique (Word, Excel, PowerPoint, OpenDocument)."
)


def type_du_contenu(fichier):
    """The accepted type read from the file's bytes, or None. Reads a few kilobytes at most."""
    position = fichier.tell()
    try:
        fichier.seek(0)
        debut = fichier.read(8)
        for signature, type_mime in SIGNATURES:
            if debut.startswith(signature):
                return type_mime
        if debut.startswith(ZIP):
            return _type_zip(fichier)
        if debut.startswith(OLE2):
            return _type_ole2(fichier)
        return None
    finally:
        fichier.seek(position)


def _type_zip(fichier):
    try:
        if not _annuaire_raisonnable(fichier):
            return None
        fichier.seek(0)
        with zipfile.ZipFile(fichier) as archive:
            membres = archive.infolist()
            if len(membres) > MEMBRES_MAX or not _tailles_raisonnables(membres):
                return None
            noms = {m.filename for m in membres}
            if "mimetype" in noms:
                return _type_opendocument(archive, archive.getinfo("mimetype"))
            if "[Content_Types].xml" in noms:
                return _type_ooxml(noms)
    except ERREURS_ZIP:
        return None
    return None


def _annuaire_raisonnable(fichier):
    """Whether the end record announces a directory small enough to be read (and no ZIP64)."""
    fichier.seek(0, 2)
    taille = fichier.tell()
    # The end record, its comment (64 Ko at most), and the 20-byte ZIP64 locator before them.
    queue = min(taille, 20 + FIN_ZIP.size + 0xFFFF)
    fichier.seek(taille - queue)
    donnees = fichier.read(queue)
    debut = donnees.rfind(b"PK\x05\x06")
    if debut < 0 or len(donnees) - debut < FIN_ZIP.size:
        return False
    _, _, _, _, entrees, taille_annuaire, _, _ = FIN_ZIP.unpack_from(donnees, debut)
    if donnees[max(debut - 20, 0) : debut].startswith(FIN_ZIP64):
        return False
    return entrees <= MEMBRES_MAX and taille_annuaire <= ANNUAIRE_MAX


def _tailles_raisonnables(membres):
    total = 0
    for membre in membres:
        if membre.file_size > RATIO_MAX * max(membre.compress_size, 1):
            return False
        total += membre.file_size
    return total <= DECOMPRESSE_MAX


def _type_opendocument(archive, membre):
    """The `mimetype` member, read through a bounded stream and matched exactly."""
    if (
        membre.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        or membre.file_size > MIMETYPE_MAX
        or membre.compress_size > 2 * MIMETYPE_MAX
    ):
        return None
    with archive.open(membre) as flux:
        contenu = flux.read(MIMETYPE_MAX + 1)
    return OPENDOCUMENT.get(contenu)


def _type_ooxml(noms):
    """Word, Excel or PowerPoint, by the names of the parts only."""
    for dossier, document, macros in [
        ("word/", TypeFichier.DOCX, TypeFichier.DOCM),
        ("xl/", TypeFichier.XLSX, TypeFichier.XLSM),
        ("ppt/", TypeFichier.PPTX, TypeFichier.PPTM),
    ]:
        if any(nom.startswith(dossier) for nom in noms):
            if dossier == "xl/" and "xl/workbook.bin" in noms:
                return TypeFichier.XLSB
            return macros if f"{dossier}vbaProject.bin" in noms else document
    return None


def _type_ole2(fichier):
    """.doc, .xls or .ppt, by the stream names in the first sectors of the OLE2 directory."""
    try:
        fichier.seek(0)
        entete = fichier.read(512)
        (decalage,) = struct.unpack_from("<H", entete, 0x1E)
        if decalage not in (9, 12):
            return None
        taille = 1 << decalage
        (secteur,) = struct.unpack_from("<L", entete, 0x30)
        table = struct.unpack_from("<109L", entete, 0x4C)  # where the allocation table lies
        for _ in range(SECTEURS_REPERTOIRE_MAX):
            if secteur > FIN_DE_CHAINE:
                return None
            fichier.seek((secteur + 1) * taille)
            bloc = fichier.read(taille)
            if len(bloc) < taille:
                return None
            for entree in range(0, taille, 128):  # 128 bytes an entry, its name first
                nom = bloc[entree : entree + 64].decode("utf-16-le", "replace").split("\x00")[0]
                if nom in FLUX_OLE2:
                    return FLUX_OLE2[nom]
            page, place = divmod(secteur, taille // 4)
            if page >= len(table) or table[page] > FIN_DE_CHAINE:
                return None
            fichier.seek((table[page] + 1) * taille + place * 4)
            (secteur,) = struct.unpack("<L", fichier.read(4))
    except (OSError, struct.error):
        return None
    return None


def verifier_fichier(fichier):
    """Validator for evidence files: at most 5 Mo, and a PDF, PNG, JPEG or office document."""
    if fichier.size > TAILLE_MAX:
        taille = f"{fichier.size / 1024 / 1024:.1f}".replace(".", ",")
        raise ValidationError(
            f"Ce fichier pèse {taille} Mo : la limite est de 5 Mo. "
            "Réduisez-le (PDF compressé, image redimensionnée) ou déposez-en un extrait.",
            code="trop_gros",
        )
    if type_du_contenu(fichier) is None:
        raise ValidationError(MESSAGE_TYPE, code="type_refuse")


def nom_honnete(nom, type_mime):
    """`nom` with an extension of the type (« poly.html » holding a PDF → « poly.pdf »)."""
    return nom_avec_extension(nom, EXTENSIONS.get(type_mime, EXTENSIONS[TypeFichier.INCONNU]))


def type_a_l_envoi(champ, actuel):
    """The type to store beside a file field when its model is saved.

    A file being uploaded is typed from its content, once, and renamed after that type; a file
    already stored keeps the type it was given; no file, no type."""
    if not champ:
        return TypeFichier.INCONNU
    if champ._committed:  # Django's mark of a file already in storage
        return actuel
    type_mime = type_du_contenu(champ.file) or TypeFichier.INCONNU
    champ.name = nom_honnete(champ.name, type_mime)
    return type_mime


def type_envoye(type_mime):
    """The Content-Type of a download: the stored type when it is one we accept."""
    return type_mime if type_mime in TypeFichier.values else TypeFichier.INCONNU
