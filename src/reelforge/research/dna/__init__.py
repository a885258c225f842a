"""Content DNA: the profile (``profile``: the model and the wizard), its versions in the
store (``versions``), derivation from the creators a user studies (``derive``), and the
three ways to make one that the doors call (``service``)."""
