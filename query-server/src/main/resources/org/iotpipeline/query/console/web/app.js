// Entry point: two pages behind #query and #pipeline.

import { forgetToken, updateForgetButton } from './auth.js';
import { PipelinePage } from './pipeline-page.js';
import { QueryPage } from './query-page.js';

const query = new QueryPage();
const pipeline = new PipelinePage();
let tablesLoaded = false;

function route() {
  const page = window.location.hash === '#pipeline' ? 'pipeline' : 'query';
  document.getElementById('page-query').hidden = page !== 'query';
  document.getElementById('page-pipeline').hidden = page !== 'pipeline';
  document.getElementById('nav-query').classList.toggle('active', page === 'query');
  document.getElementById('nav-pipeline').classList.toggle('active', page === 'pipeline');
  if (page === 'pipeline') {
    pipeline.start();
  } else {
    pipeline.stop();
    if (!tablesLoaded) {
      tablesLoaded = true;
      query.loadTables();
    }
  }
}

document.getElementById('forget-token').addEventListener('click', () => {
  forgetToken();
});
document.addEventListener('visibilitychange', () => {
  if (document.hidden) {
    pipeline.stop();
  } else {
    route();
  }
});
window.addEventListener('hashchange', route);
updateForgetButton();
route();
document.body.dataset.ready = 'true';
