export const id = 299;
export const ids = [299];
export const modules = {

/***/ 4299:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createAzureDriver: () => (/* binding */ createAzureDriver)
/* harmony export */ });
function createAzureDriver(_plan, _deps) {
    throw new Error('the Azure adapter is being built');
}


/***/ })

};
