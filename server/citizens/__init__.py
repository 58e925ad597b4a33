"""The citizens' door on the portal: cases sent without an account, followed by a code."""
