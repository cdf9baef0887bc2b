"""Sites (IGNY8) a.k.a. brands (Syncflow): the property content, posts and products belong to."""
