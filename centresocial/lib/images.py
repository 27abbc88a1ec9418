"""Images placed in the projet's written sections: PNG or JPEG only, checked on their content."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

TAILLE_MAX = 5 * 1024 * 1024
# Far more than any map or photo printed on A4 needs (300 dpi on a full page is 9 million), and
# few enough that decoding one can't exhaust a server's memory.
PIXELS_MAX = 40_000_000
FORMATS = {b"\x89PNG\r\n\x1a\n": ("PNG", ".png"), b"\xff\xd8\xff": ("JPEG", ".jpg")}
MESSAGE_TYPE = "Déposez une image PNG ou JPEG (une carte, une photo, un organigramme…)."


def format_image(fichier):
    """(Pillow's format, extension) told by the file's first bytes, or None."""
    position = fichier.tell() if hasattr(fichier, "tell") else 0
    try:
        fichier.seek(0)
        debut = fichier.read(8)
    finally:
        fichier.seek(position)
    return next((f for signature, f in FORMATS.items() if debut.startswith(signature)), None)


def verifier_image(fichier):
    """Validator: at most 5 Mo, a PNG or JPEG by its content, of a sensible number of pixels."""
    if fichier.size > TAILLE_MAX:
        taille = f"{fichier.size / 1024 / 1024:.1f}".replace(".", ",")
        raise ValidationError(
            f"Cette image pèse {taille} Mo : la limite est de 5 Mo. Réduisez-la avant de la déposer.",
            code="trop_gros",
        )
    attendu = format_image(fichier)
    if attendu is None:
        raise ValidationError(MESSAGE_TYPE, code="type_refuse")
    position = fichier.tell()
    try:
        fichier.seek(0)
        with Image.open(fichier) as image:  # reads the header only
            largeur, hauteur = image.size
            if image.format != attendu[0]:
                raise ValidationError(MESSAGE_TYPE, code="type_refuse")
            if largeur * hauteur > PIXELS_MAX:
                raise ValidationError(
                    f"Cette image compte {largeur} × {hauteur} pixels : c'est trop pour être "
                    "imprimée. Réduisez-la (4 000 pixels de large suffisent).",
                    code="trop_de_pixels",
                )
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as erreur:
        raise ValidationError(
            "Cette image est illisible ou abîmée : enregistrez-la à nouveau en PNG ou JPEG.",
            code="illisible",
        ) from erreur
    finally:
        fichier.seek(position)


def nom_honnete(nom, fichier):
    """`nom` with the extension of the image's real type (« carte.jpeg.exe » → « carte.jpg »)."""
    trouve = format_image(fichier)
    if trouve is None:
        return nom
    base = PurePath(nom).name.split(".")[0] or "image"
    return f"{base}{trouve[1]}"
