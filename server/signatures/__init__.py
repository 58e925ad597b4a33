"""Digital signatures (chữ ký số) on stored PDF documents: PAdES signing with pyHanko,
verification of every signed upload against the configured trust roots, signature records,
and the listeners told after a document is signed. See docs/signatures.md."""
