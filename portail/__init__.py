"""The partners' « Mes actions »: the fiches a partner account's organisations take part in,
read-only, with their PDF and a form to leave a comment for the staff."""
