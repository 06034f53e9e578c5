"""The studio's screens and dialogs: one module and one .tcss each."""
