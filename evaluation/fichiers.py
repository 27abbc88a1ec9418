"""Checking uploaded evidence files: size cap and type read from the content, not the name."""

import zipfile

from django.core.exceptions import ValidationError

TAILLE_MAX = 5 * 1024 * 1024

# What the first bytes say → (content type, label). Office formats are ZIP or OLE2 containers,
# told apart below.
SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),  # .doc, .xls, .ppt
]
OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
MESSAGE_TYPE = (
    "Ce type de fichier n'est pas accepté : déposez un PDF, une image PNG ou JPEG, "
    "ou un document bureautique (Word, Excel, PowerPoint, OpenDocument)."
)


def type_du_contenu(fichier):
    """The content type read from the file's bytes, or None when it is not an accepted type."""
    position = fichier.tell() if hasattr(fichier, "tell") else 0
    try:
        fichier.seek(0)
        debut = fichier.read(16)
        for signature, type_mime in SIGNATURES:
            if debut.startswith(signature):
                return type_mime
        if debut.startswith(b"PK\x03\x04"):
            fichier.seek(0)
            return _type_bureautique(fichier)
        return None
    finally:
        fichier.seek(position)


def _type_bureautique(fichier):
    try:
        with zipfile.ZipFile(fichier) as archive:
            noms = archive.namelist()
            if "mimetype" in noms:
                mime = archive.read("mimetype").decode("ascii", "replace").strip()
                if mime.startswith("application/vnd.oasis.opendocument."):
                    return mime
            if "[Content_Types].xml" in noms:
                for dossier, mime in OOXML.items():
                    if any(nom.startswith(dossier) for nom in noms):
                        return mime
    except (zipfile.BadZipFile, OSError):
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
