  // outro.js: what search.js offers to the tests (node) and to the page (boot).
  return {
    normalize: normalize, tokenize: tokenize, stem: stem, words: words, splitCompound: splitCompound,
    distance: distance, maxEdits: maxEdits, decodeNumbers: decodeNumbers, Index: Index,
    query: query, documents: documents, register: register, boot: boot
  };
});
