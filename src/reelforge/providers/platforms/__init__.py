"""platform providers: TikTok (Login Kit, Content Posting), Google OAuth, YouTube uploads."""
