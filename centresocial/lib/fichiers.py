"""Names of uploaded files: the extension is the one of the type read from the content."""

from pathlib import PurePath


def nom_avec_extension(nom, extensions):
    """`nom` (its last part) kept when its extension is one of `extensions`, else given the first.

    « poly.html » holding a PDF → « poly.pdf », « photo.JPEG » stays, « x » → « x.pdf »."""
    nom = PurePath(nom).name
    chemin = PurePath(nom)
    if chemin.suffix.lower() in extensions:
        return nom
    base = chemin.stem if chemin.suffix else nom
    return f"{base.strip('.') or 'fichier'}{extensions[0]}"
