"""Social login: sign in or sign up with Google, Microsoft, Apple, GitHub and Facebook.

django-allauth is the provider layer (its provider classes turn each provider's profile
into a uid and email addresses with their verified flag, its OAuth2 client exchanges the
code, its OpenID Connect adapter reads discovery, verifies the ID token and fetches
userinfo, and its `SocialAccount` rows are the links to Flowline users). Flowline owns the
API flow around it: a state bound to the browser, PKCE, the exact redirect URI, who the
identity signs in as, and the same JWT pair and cookies as the password login.

- `providers`: which providers exist and how allauth builds them from SOCIAL_LOGIN_PROVIDERS.
- `flow`: the authorization request and the callback (state, PKCE, nonce, code exchange).
- `services`: sign in, sign up, link by verified email, disconnect.
"""
