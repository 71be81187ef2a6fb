"""The steps of a conversation that several handler modules take (offer a product, add it by the
quantity rules, go on with the checkout ...). These modules hold no handlers: handler modules import
them, never one another, so each domain's handlers can be read (and changed) on their own.

- `results`: what the last search found, kept in the session, and the catalog look-ups over it.
- `offers`: answering with products: a search's results, an offer to add one, the next few.
- `changes`: the cart changes a session made, for "undo" and corrections.
- `adding`: putting products in the cart (or changing a line) by the quantity rules.
- `choosing`: picking one of the products just read by a description.
- `checking_out`: the checkout kept by the server, and asking for what it still needs.
"""
