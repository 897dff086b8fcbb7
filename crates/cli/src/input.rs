//! Arguments shared by `align` and `glossary`: how to read the two texts and how to align.

use anyhow::Result;
use duiqi::model::{self, Model};
use duiqi::{AlignOptions, Aligner, Document, InputFormat, Language, ReadOptions, encoding_for_label};
use rayon::prelude::*;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct InputArgs {
    /// The inputs have one sentence per line, taken exactly as given (plain text).
    #[arg(long)]
    pub presplit: bool,
    /// Read the inputs as this format (text, docx, odt, epub, html, md, srt, vtt, pdf)
    /// instead of telling it from their names and contents.
    #[arg(long, value_parser = input_format)]
    pub from: Option<InputFormat>,
    /// Read both inputs in this encoding (utf-8, utf-16le, gb18030, big5, ...).
    #[arg(long)]
    pub encoding: Option<String>,
    /// Language of the source (zh or en); detected from the script by default.
    #[arg(long)]
    pub src_lang: Option<String>,
    /// Language of the target (zh or en); detected from the script by default.
    #[arg(long)]
    pub tgt_lang: Option<String>,
    /// Largest m + n of an m-n bead (2 to 8).
    #[arg(long, default_value_t = 5, allow_hyphen_values = true)]
    pub max_bead: usize,
    /// 1: bundled resources only; 2: also learn word associations from a first
    /// alignment and realign (default); 3 or more: learn again from each new alignment.
    #[arg(long, default_value_t = 2, allow_hyphen_values = true)]
    pub passes: usize,
    /// The neural model file (see scripts/fetch-model.sh); default: $DUIQI_MODEL, else
    /// the cache file if it exists. Without a model, lexical signals only.
    #[arg(long, conflicts_with = "no_model")]
    pub model: Option<PathBuf>,
    /// Do not use the neural model even if one is installed.
    #[arg(long)]
    pub no_model: bool,
    /// Which installed encoders to use: auto (e5 on pairs up to 200 KB of text, mUSE on
    /// longer ones, whichever is installed otherwise), e5 (token states), muse (sentence
    /// embeddings), both on every pair, or lexical (none).
    #[arg(long, default_value = "auto", value_parser = ["auto", "e5", "muse", "both", "lexical"])]
    pub encoder: String,
    /// With a model: the share of each pair's text that is encoded, the sentences the
    /// lexical passes are least sure of first (pairs up to 300 KB are always encoded
    /// whole). The encoder reads about 10 KB of text a second on two AVX2 cores, 18–27 KB
    /// with AVX512-BF16; 1 encodes everything (a little more accurate, 1.5 times slower on
    /// long texts than the default), 0.4 is 2.5 times faster than 1.
    #[arg(long, default_value_t = 0.7, value_parser = share, allow_hyphen_values = true)]
    pub neural_share: f32,
    /// Align the paragraphs first, then the sentences within each aligned group of
    /// paragraphs (when both texts have paragraphs).
    #[arg(long)]
    pub paragraphs_first: bool,
    /// Override signal weights, e.g. "lexicon=1.2,skip=0.3" (for fitting; with or without a model).
    #[arg(long, hide = true)]
    pub weights: Option<String>,
}

impl InputArgs {
    /// The aligner options these arguments ask for.
    pub fn align_options(&self) -> Result<AlignOptions> {
        let mut options = AlignOptions::default();
        options.search.max_bead = self.max_bead;
        options.passes = self.passes;
        options.neural_share = self.neural_share;
        options.paragraphs_first = self.paragraphs_first;
        options.both_encoders = self.encoder == "both";
        // For fitting weights: token states kept between runs (bench/fit_weights.py).
        options.encoder_cache = std::env::var_os("DUIQI_ENCODER_CACHE").map(PathBuf::from);
        if let Some(spec) = &self.weights {
            options.weights = options.weights.with_overrides(spec)?;
            options.model_weights = options.model_weights.with_overrides(spec)?;
        }
        Ok(options)
    }

    /// The aligner these arguments ask for, with the model loaded (in parallel with the
    /// bundled resources) when there is one; a named but unusable model is an error.
    pub fn aligner(&self) -> Result<Aligner> {
        self.load_aligner(true)
    }

    /// Reads a pair while the aligner loads. Under `--encoder auto`, mUSE (half a second to
    /// load) is loaded only when the pair will use it: when it is longer than
    /// [`duiqi::MAX_E5_BYTES`] or e5 is not installed.
    pub fn read_pair_and_aligner(&self, src: &str, tgt: &str) -> Result<((Document, Document), Aligner)> {
        let auto = self.encoder == "auto";
        let (pair, aligner) = rayon::join(|| self.read_pair(src, tgt), || self.load_aligner(!auto));
        let ((src, tgt), mut aligner) = (pair?, aligner?);
        let long = src.text_bytes() + tgt.text_bytes() > duiqi::MAX_E5_BYTES;
        if auto
            && !self.no_model
            && (long || !aligner.has_model())
            && let Some(directory) = model::muse::locate(self.model.as_deref())
        {
            aligner = aligner.with_muse(model::muse::Muse::load(&directory)?);
        }
        Ok(((src, tgt), aligner))
    }

    /// The aligner, with mUSE too when `with_muse` and the encoder choice wants it.
    fn load_aligner(&self, with_muse: bool) -> Result<Aligner> {
        let options = self.align_options()?;
        let wants = |name: &str| !self.no_model && [name, "both", "auto"].contains(&self.encoder.as_str());
        let path = if wants("e5") { model::locate(self.model.as_deref()) } else { None };
        let muse = match (with_muse && wants("muse"), model::muse::locate(self.model.as_deref())) {
            (false, _) => None,
            (true, Some(directory)) => Some(directory),
            (true, None) if self.encoder == "auto" => None,
            (true, None) => anyhow::bail!("--encoder {} needs the mUSE files; {}", self.encoder, model::FETCH_HINT),
        };
        let (aligner, (model, muse)) = rayon::join(
            || Aligner::new(options),
            || {
                rayon::join(
                    || path.as_deref().map(Model::load).transpose(),
                    || muse.as_deref().map(model::muse::Muse::load).transpose(),
                )
            },
        );
        let (mut aligner, model, muse) = (aligner?, model?, muse?);
        if let Some(model) = model {
            aligner = aligner.with_model(model);
        }
        if let Some(muse) = muse {
            aligner = aligner.with_muse(muse);
        }
        Ok(aligner)
    }

    /// How to read the source and the target text.
    pub fn read_options(&self) -> Result<(ReadOptions, ReadOptions)> {
        let options = |lang: &Option<String>| -> Result<ReadOptions> {
            let language = lang.as_deref().map(Language::parse).transpose()?;
            let encoding = self.encoding.as_deref().map(encoding_for_label).transpose()?;
            Ok(ReadOptions { encoding, language, presplit: self.presplit, format: self.from })
        };
        Ok((options(&self.src_lang)?, options(&self.tgt_lang)?))
    }

    /// Reads a source and a target text, checking they are in different languages.
    pub fn read_pair(&self, src: &str, tgt: &str) -> Result<(Document, Document)> {
        let (src_options, tgt_options) = self.read_options()?;
        if src == "-" && tgt == "-" {
            anyhow::bail!("only one of SRC and TGT can be - (standard input)");
        }
        let (s, t) = rayon::join(|| read_path(src, &src_options), || read_path(tgt, &tgt_options));
        let (s, t) = (s?, t?);
        duiqi::check_pair(&s, &t, src, tgt)?;
        Ok((s, t))
    }
}

impl InputArgs {
    /// Reads a source and its translations, checking each is in another language than
    /// the source (the target language option applies to every translation).
    pub fn read_versions(&self, src: &str, versions: &[&str]) -> Result<(Document, Vec<Document>)> {
        if versions.iter().chain([&src]).filter(|p| **p == "-").count() > 1 {
            anyhow::bail!("only one input can be - (standard input)");
        }
        let (src_options, tgt_options) = self.read_options()?;
        let source = read_path(src, &src_options)?;
        let documents: Vec<Document> =
            versions.par_iter().map(|path| read_path(path, &tgt_options)).collect::<duiqi::Result<_>>()?;
        for (path, document) in versions.iter().zip(&documents) {
            duiqi::check_pair(&source, document, src, path)?;
        }
        Ok((source, documents))
    }
}

/// Reads a text, telling the user which encoding was guessed when it was.
pub fn read_path(path: &str, options: &ReadOptions) -> duiqi::Result<Document> {
    let document = duiqi::read_path(path, options)?;
    if let Some(encoding) = document.guessed_encoding {
        eprintln!("duiqi: {path}: read as {encoding} (guessed from its bytes; --encoding overrides)");
    }
    Ok(document)
}

/// A share between 0 and 1.
fn share(text: &str) -> Result<f32, String> {
    match text.parse::<f32>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("'{text}' is not a share between 0 and 1 (e.g. 0.4)")),
    }
}

/// An input format's name.
pub fn input_format(text: &str) -> Result<InputFormat, String> {
    InputFormat::from_name(text).ok_or_else(|| {
        let names: Vec<&str> = InputFormat::ALL.iter().map(|f| f.name()).collect();
        format!("unknown input format '{text}'; use one of {}", names.join(", "))
    })
}
