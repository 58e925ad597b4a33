"""Running an installation: backups, restores, moving between database engines."""
