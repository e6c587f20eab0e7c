package org.abdflow.plugins.eda;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.sf.extjwnl.JWNLException;
import net.sf.extjwnl.data.POS;
import net.sf.extjwnl.data.Synset;
import net.sf.extjwnl.data.Word;
import net.sf.extjwnl.dictionary.Dictionary;

/**
 * WordNet 3.0 synonyms as CleanCLIP's {@code get_synonyms} finds them through NLTK: the lemma
 * names of every synset of the word in every part of speech, with NLTK's morphy (so "cars" finds
 * the synsets of "car"). Thread-safe; the dictionary loads once per JVM and lookups are cached.
 */
public final class WordNetSynonyms {
  /** NLTK's {@code MORPHOLOGICAL_SUBSTITUTIONS}, by part of speech; adverbs have none. */
  private static final Map<POS, String[][]> SUBSTITUTIONS = Map.of(
      POS.NOUN, new String[][] {{"s", ""}, {"ses", "s"}, {"ves", "f"}, {"xes", "x"}, {"zes", "z"},
          {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"}},
      POS.VERB, new String[][] {{"s", ""}, {"ies", "y"}, {"es", "e"}, {"es", ""}, {"ed", "e"},
          {"ed", ""}, {"ing", "e"}, {"ing", ""}},
      POS.ADJECTIVE, new String[][] {{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}},
      POS.ADVERB, new String[][] {});
  /** NLTK's POS_LIST order: the order synsets, and so synonyms, come in. */
  private static final List<POS> POS_ORDER = List.of(POS.NOUN, POS.VERB, POS.ADJECTIVE, POS.ADVERB);

  private static final String DATA = "/net/sf/extjwnl/data/wordnet/wn30/";
  private static final Map<String, List<String>> CACHE = new ConcurrentHashMap<>();
  private static volatile WordNet wordNet;

  /** The dictionary and, as NLTK reads them, its exception lists. */
  private record WordNet(Dictionary dict, Map<POS, Map<String, List<String>>> exceptions) {}

  private WordNetSynonyms() {}

  /**
   * The synonyms of a lower-case word: in each lemma name '_' and '-' become spaces, it is lower-cased
   * and only a-z and spaces are kept (so a name like "1000" gives ""); the word itself is left out;
   * no duplicates; WordNet's synset order, then lemma order. Empty for a word with spaces, which
   * NLTK never finds either.
   */
  public static List<String> of(String word) {
    if (word.isEmpty() || word.indexOf(' ') >= 0) {
      return List.of();
    }
    List<String> cached = CACHE.get(word);
    if (cached != null) {
      return cached;
    }
    List<String> found = lookup(word);
    CACHE.putIfAbsent(word, found);
    return found;
  }

  private static List<String> lookup(String word) {
    WordNet wn = wordNet();
    Dictionary dict = wn.dict();
    Set<String> out = new LinkedHashSet<>();
    // extJWNL's resource-backed files share read positions, so one lookup at a time.
    synchronized (dict) {
      try {
        for (POS pos : POS_ORDER) {
          for (String form : morphy(wn, word, pos)) {
            for (Synset synset : dict.getIndexWord(pos, form).getSenses()) {
              for (Word lemma : synset.getWords()) {
                out.add(clean(lemma.getLemma()));
              }
            }
          }
        }
      } catch (JWNLException e) {
        throw new IllegalStateException("WordNet lookup of \"" + word + "\" failed", e);
      }
    }
    out.remove(word);
    return List.copyOf(out);
  }

  private static String clean(String lemma) {
    String s = lemma.replace('_', ' ').replace('-', ' ').toLowerCase(Locale.ROOT);
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c >= 'a' && c <= 'z') || c == ' ') {
        b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * NLTK's {@code _morphy}: the exception list if the word is on it; else the word and its
   * one-step detachments that are lemmas; else further detachments until some are.
   */
  private static List<String> morphy(WordNet wn, String form, POS pos) throws JWNLException {
    Dictionary dict = wn.dict();
    List<String> exceptions = wn.exceptions().get(pos).get(form);
    if (exceptions != null) {
      List<String> forms = new ArrayList<>();
      forms.add(form);
      forms.addAll(exceptions);
      return lemmasOf(dict, forms, pos);
    }
    List<String> forms = detach(List.of(form), pos);
    List<String> withOriginal = new ArrayList<>();
    withOriginal.add(form);
    withOriginal.addAll(forms);
    List<String> results = lemmasOf(dict, withOriginal, pos);
    while (results.isEmpty() && !forms.isEmpty()) {
      forms = detach(forms, pos);
      results = lemmasOf(dict, forms, pos);
    }
    return results;
  }

  private static List<String> detach(List<String> forms, POS pos) {
    // Distinct forms only: duplicates add no lemma and would grow each round.
    Set<String> out = new LinkedHashSet<>();
    for (String f : forms) {
      for (String[] rule : SUBSTITUTIONS.get(pos)) {
        if (f.endsWith(rule[0])) {
          out.add(f.substring(0, f.length() - rule[0].length()) + rule[1]);
        }
      }
    }
    return new ArrayList<>(out);
  }

  private static List<String> lemmasOf(Dictionary dict, List<String> forms, POS pos) throws JWNLException {
    Set<String> out = new LinkedHashSet<>();
    for (String f : forms) {
      // Exception forms may be multi-word ("comic_strip"); extJWNL reads '_' as the space it stores.
      if (!f.isEmpty() && dict.getIndexWord(pos, f) != null) {
        out.add(f);
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * One .exc file as NLTK reads it, where for a form listed twice the later line wins; extJWNL's
   * own lookup finds the earlier ("aurar eyir" before "aurar eyrir").
   */
  private static Map<String, List<String>> exceptions(String file) {
    Map<String, List<String>> out = new HashMap<>();
    try (InputStream in = WordNetSynonyms.class.getResourceAsStream(DATA + file)) {
      if (in == null) {
        throw new IllegalStateException("the eda plugin JAR lacks WordNet's " + file);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String[] terms = line.trim().split("\\s+");
        if (!terms[0].isEmpty()) {
          out.put(terms[0], List.of(Arrays.copyOfRange(terms, 1, terms.length)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read WordNet's " + file, e);
    }
    return out;
  }

  private static WordNet wordNet() {
    WordNet w = wordNet;
    if (w == null) {
      synchronized (WordNetSynonyms.class) {
        w = wordNet;
        if (w == null) {
          Dictionary d;
          try {
            d = Dictionary.getDefaultResourceInstance();
          } catch (JWNLException e) {
            throw new IllegalStateException("cannot load the WordNet 3.0 dictionary bundled with the eda plugin", e);
          }
          if (d == null) {
            throw new IllegalStateException("the WordNet 3.0 dictionary is missing from the eda plugin JAR");
          }
          w = new WordNet(d, Map.of(
              POS.NOUN, exceptions("noun.exc"), POS.VERB, exceptions("verb.exc"),
              POS.ADJECTIVE, exceptions("adj.exc"), POS.ADVERB, exceptions("adv.exc")));
          wordNet = w;
        }
      }
    }
    return w;
  }
}
