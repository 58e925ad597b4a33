"""The annotation backup's wire details, which the server and the tablet share
(docs/pack-format.md, "Annotation backup")."""

BACKUP_PATH = "/api/devices/me/annotation-backup"

# How far document ids moved since the backup was sealed (the commune moved beside other
# councils: hdnd import); the tablet adds it to each layer's document id when restoring.
DOCUMENT_OFFSET_HEADER = "X-HDND-Document-Offset"
