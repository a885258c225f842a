"""Script writers (the LLM kind): the offline template writer and clients for OpenAI-compatible servers, Anthropic and Gemini, one module each."""
